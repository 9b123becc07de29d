import type { PlanSource } from '../cli/plan-source-flags';
import type { Report } from '../report/report-types';

export type { PlanSource } from '../cli/plan-source-flags';

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface ChaosContext {
  /** Messages to send (scenarios scale their mix from it). */
  size: number;
  log: (line: string) => void;
  /** Every scenario starts its fresh stack from this (default: the local environment). */
  source?: PlanSource;
  /** The stack's own log lines (function output); tests collect them, `npm run chaos` leaves them out. */
  stackLog?: (line: string) => void;
}

export interface ScenarioOutcome {
  report: Report;
  checks: Check[];
  /** What the scenario did that the numbers do not show (e.g. how the timeout was caused). */
  note?: string;
}

export interface ChaosScenario {
  /** `--only <name>` */
  name: string;
  title: string;
  /** Messages for `npm run chaos`; tests pass a smaller size. */
  defaultSize: number;
  run(ctx: ChaosContext): Promise<ScenarioOutcome>;
}

export interface ChaosRow {
  scenario: string;
  sent: number;
  raw: number;
  quarantined: number;
  archived: number;
  duplicates: number;
  lost: number;
  /** e.g. `payments CLOSED>OPEN>HALF_OPEN>CLOSED`, or `-`. */
  breaker: string;
  seconds: number;
  checks: Check[];
  note?: string;
  /** lost = 0, the balance holds and every check passed. */
  ok: boolean;
}
