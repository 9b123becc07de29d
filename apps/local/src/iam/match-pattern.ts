/**
 * IAM wildcards: `*` matches any run of characters, `?` any one character, in Action, Resource and the `*Like`
 * condition operators (IAM User Guide, "IAM JSON policy elements: Action / Resource", "String condition operators").
 * Actions match case-insensitively; resource ARNs and condition values case-sensitively.
 */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}

export const actionMatches = (pattern: string, action: string): boolean => wildcardMatch(pattern, action, true);

/**
 * An ARN pattern against an ARN: each of the six colon-separated parts matches on its own, so a `*` in the
 * region part cannot run into the account part (IAM User Guide, "ARN condition operators": ArnLike).
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return wildcardMatch(pattern, arn);
  return p.every((part, i) => wildcardMatch(part, a[i]!));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
