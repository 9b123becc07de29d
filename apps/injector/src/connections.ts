import * as os from 'node:os';

/**
 * Parallel senders `npm run inject` uses by default: one per core, at least 2, at most 8. A call's work
 * (serializing, signing, checking MD5s) is CPU-bound, so senders beyond the cores add nothing.
 */
export const DEFAULT_CONNECTIONS = Math.min(8, Math.max(2, os.availableParallelism()));
