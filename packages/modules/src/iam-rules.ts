/**
 * The IAM rules both SecurityModule (at grant time) and SecurityAspect (at synth) enforce.
 */

/**
 * Actions that AWS documents as not supporting resource-level permissions, so `Resource: "*"` is the only
 * possible scope (Service Authorization Reference). Keep this list explicit and small.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL: ReadonlySet<string> = new Set([
  // The breaker finds the mapping of a queue by listing the processor's mappings.
  'lambda:ListEventSourceMappings',
]);

/** `*` or `service:*`. */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[A-Za-z0-9-]+:\*$/.test(action);
}

export function allowsWildcardResource(actions: readonly string[]): boolean {
  return actions.length > 0 && actions.every((a) => ACTIONS_WITHOUT_RESOURCE_LEVEL.has(a));
}
