import { readFile } from 'node:fs/promises';
import { issuesToLines, problemLine, showValue } from '@lean-ops/config';
import { parseJsonText } from './json-text';
import { ScenarioError } from './scenario-error';
import { MIX_KINDS, scenarioSchema, toScenario, type Scenario } from './scenario-schema';

const SCENARIO_KEYS = Object.keys(scenarioSchema.shape);
const TOPIC_OBJECT_KEYS = ['weight', 'mix'];
// Several mix kinds share a prefix (`firehose_reject`, `firehose_throttle_once`): guessing one of them would mislead.
const SCENARIO_PROBLEMS = { ambiguousPrefix: 'nearest' } as const;

/** Keys allowed at a path in a scenario (for "did you mean" on an unknown key). */
function allowedKeys(path: ReadonlyArray<PropertyKey>): ReadonlyArray<string> {
  const last = path[path.length - 1];
  if (path.length === 0) return SCENARIO_KEYS;
  if (last === 'mix') return MIX_KINDS;
  if (path[0] === 'topics' && path.length === 2) return TOPIC_OBJECT_KEYS;
  return [];
}

/** Validates an already-parsed scenario object; `file` names it in messages. */
export function parseScenario(input: unknown, file: string): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) throw new ScenarioError(issuesToLines(file, input, result.error.issues, allowedKeys, SCENARIO_PROBLEMS));
  return toScenario(result.data, file);
}

/** Reads and validates a scenario file; throws ScenarioError with one line per problem. */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const rule = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot read (${code ?? (err as Error).message})`;
    throw new ScenarioError([problemLine(file, '(file)', '(missing)', rule)]);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const p = parsed.problem;
    throw new ScenarioError([problemLine(`${file}:${p.line}:${p.column}`, '(file)', showValue(p.excerpt), `invalid JSON at line ${p.line}, column ${p.column}: ${p.message}`)]);
  }
  return parseScenario(parsed.value, file);
}
