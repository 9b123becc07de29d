import { arnMatches, wildcardMatch } from './match-pattern';
import { listOf, type PolicyStatement } from './policy-types';

type Test = (policyValue: string, requestValue: string) => boolean;

/**
 * The condition operators the local stack evaluates (IAM User Guide, "IAM JSON policy elements: Condition
 * operators"). Condition keys are case-insensitive, values case-sensitive (except StringEqualsIgnoreCase).
 */
const OPERATORS: Record<string, { test: Test; negated: boolean }> = {
  StringEquals: { test: (p, r) => p === r, negated: false },
  StringNotEquals: { test: (p, r) => p === r, negated: true },
  StringEqualsIgnoreCase: { test: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: true },
  StringLike: { test: (p, r) => wildcardMatch(p, r), negated: false },
  StringNotLike: { test: (p, r) => wildcardMatch(p, r), negated: true },
  ArnEquals: { test: (p, r) => arnMatches(p, r), negated: false },
  ArnLike: { test: (p, r) => arnMatches(p, r), negated: false },
  ArnNotEquals: { test: (p, r) => arnMatches(p, r), negated: true },
  ArnNotLike: { test: (p, r) => arnMatches(p, r), negated: true },
  Bool: { test: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
};

export class UnsupportedConditionError extends Error {
  override readonly name = 'UnsupportedConditionError';
}

/** Throws for an operator the local stack cannot evaluate: a policy must not pass locally unread. */
export function checkOperators(statement: PolicyStatement, where: string): void {
  for (const op of Object.keys(statement.Condition ?? {})) {
    const base = op.replace(/^ForAnyValue:|^ForAllValues:/, '').replace(/IfExists$/, '');
    if (!(base in OPERATORS) || base !== op.replace(/IfExists$/, '')) throw new UnsupportedConditionError(`${where}: condition operator ${op} is not evaluated by the local stack`);
  }
}

/**
 * Every operator and every key of a Condition block must hold (AND); any of a key's values may match (OR).
 * A key absent from the request fails a positive operator and passes a negated one; `...IfExists` passes when
 * the key is absent (IAM User Guide, "Condition operators": "...IfExists" and "Negated matching condition operators").
 */
export function conditionsHold(statement: PolicyStatement, keys: Record<string, string>): boolean {
  const lower = new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [op, block] of Object.entries(statement.Condition ?? {})) {
    const ifExists = op.endsWith('IfExists');
    const spec = OPERATORS[op.replace(/IfExists$/, '')];
    if (!spec) throw new UnsupportedConditionError(`condition operator ${op} is not evaluated by the local stack`);
    for (const [key, values] of Object.entries(block)) {
      const requestValue = lower.get(key.toLowerCase());
      if (requestValue === undefined) {
        if (ifExists || spec.negated) continue;
        return false;
      }
      const any = listOf(values).some((v) => spec.test(String(v), requestValue));
      if (spec.negated ? any : !any) return false;
    }
  }
  return true;
}
