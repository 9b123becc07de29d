import type { BreakerState } from '@lean-ops/contracts';

/**
 * Whether a topic's mapping may take the env file's maximum concurrency now. Terraform ignores `scaling_config` on
 * the topic mappings (the circuit breaker owns it at run time), so a changed `maximum_concurrency` reaches AWS twice:
 * the deploy puts it in the breaker's configuration (what it restores when it closes), and this decision, run by
 * `npm run concurrency`, applies it to the live mapping, only while the breaker is CLOSED:
 * - OPEN: the mapping is disabled; changing it would change nothing now, and the breaker restores the deployed value
 *   when it closes. Refused, so that nobody believes the topic runs at the new value.
 * - HALF_OPEN: the breaker probes at the lowest concurrency; raising it would end the probe's protection. Refused.
 * A breaker that opens right after the check disables the mapping without touching its concurrency, and only
 * probes (HALF_OPEN) after its cool-down (>= 5 s), long after the update has landed.
 */
export type ConcurrencyDecision = { action: 'apply'; from: number | undefined; to: number } | { action: 'unchanged'; value: number } | { action: 'refuse'; reason: string };

export interface ConcurrencyInput {
  topic: string;
  environment: string;
  state: BreakerState;
  /** When the breaker last opened (OPEN and HALF_OPEN). */
  openedAt?: string;
  current: number | undefined;
  desired: number;
}

export function decideConcurrency(i: ConcurrencyInput): ConcurrencyDecision {
  if (i.current === i.desired) return { action: 'unchanged', value: i.desired };
  const since = i.openedAt ? ` since ${i.openedAt}` : '';
  const later = `run this again once it is CLOSED; when it closes the breaker restores the maximum concurrency of its deployed configuration, so deploy environments/${i.environment}.tfvars first (npx cdktf deploy ${i.environment})`;
  switch (i.state) {
    case 'CLOSED':
      return { action: 'apply', from: i.current, to: i.desired };
    case 'OPEN':
      return { action: 'refuse', reason: `the circuit breaker of ${i.topic} is OPEN${since}: its mapping is disabled; ${later}` };
    case 'HALF_OPEN':
      return { action: 'refuse', reason: `the circuit breaker of ${i.topic} is HALF_OPEN${since}: it is probing at the lowest concurrency; ${later}` };
  }
}
