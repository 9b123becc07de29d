import { unsupportedAnswer, type BootstrapStep } from './bootstrap-steps';

export type StepOutcome = 'already done' | 'done' | 'would do' | 'not supported by the endpoint';

export interface StepResult {
  name: string;
  outcome: StepOutcome;
}

export interface RunOptions {
  dryRun: boolean;
  /** A non-AWS endpoint: a 501 NotImplemented or 405 MethodNotAllowed is reported as unsupported instead of failing the run. */
  customEndpoint: boolean;
  log: (line: string) => void;
  /** Checks after an apply, until the change is visible (S3 bucket settings can take a moment). */
  verifyAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the steps in order; each reads first and changes only what differs, so a second run reports every step as
 * already done. The first step creates the bucket: in a dry run without it, the others cannot be read.
 */
export async function runSteps(steps: readonly BootstrapStep[], o: RunOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const report = (i: number, name: string, outcome: StepOutcome, note = '') => {
    results.push({ name, outcome });
    o.log(`[${i + 1}/${steps.length}] ${name}: ${outcome}${note}`);
  };
  for (const [i, step] of steps.entries()) {
    try {
      if (await step.check()) {
        report(i, step.name, 'already done');
        continue;
      }
      if (o.dryRun) {
        report(i, step.name, 'would do');
        if (i === 0) {
          steps.slice(1).forEach((s, j) => report(j + 1, s.name, 'would do', ' (the bucket does not exist yet)'));
          break;
        }
        continue;
      }
      await step.apply();
      await verify(step, o);
      report(i, step.name, 'done');
    } catch (e) {
      const answer = o.customEndpoint ? unsupportedAnswer(e) : undefined;
      if (!answer) throw new Error(`${step.name}: ${e instanceof Error ? e.message : String(e)}`);
      report(i, step.name, 'not supported by the endpoint', ` (${answer}; this step is verified only against AWS)`);
    }
  }
  return results;
}

async function verify(step: BootstrapStep, o: RunOptions): Promise<void> {
  const attempts = o.verifyAttempts ?? 5;
  for (let n = 1; n <= attempts; n += 1) {
    if (await step.check()) return;
    if (n < attempts) await (o.sleep ?? wait)(1000);
  }
  throw new Error(`S3 accepted the change but still reports it missing after ${attempts} checks`);
}
