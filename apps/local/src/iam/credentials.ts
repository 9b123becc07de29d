import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Lambda hands each function temporary credentials of its execution role (AWS_ACCESS_KEY_ID and friends, Lambda
 * Developer Guide "Defined runtime environment variables"); locally each function gets an access key id of its own
 * that maps back to its role. The id looks like a temporary key (`ASIA` + 16 characters, IAM "Unique identifiers").
 */
export function functionAccessKeyId(functionName: string, roleArn: string): string {
  return `ASIA${createHash('sha256').update(`${roleArn}\u0000${functionName}`).digest('hex').slice(0, 16).toUpperCase()}`;
}

/**
 * The access key id a request was signed with: the `Credential=<id>/<date>/<region>/<service>/aws4_request` scope
 * of a SigV4 Authorization header, or `X-Amz-Credential` of a presigned URL (AWS General Reference, "Signature
 * Version 4"). Signatures are not verified: the local stack recovers who calls, not whether the secret is right.
 */
export function accessKeyIdOf(headers: IncomingHttpHeaders, query?: URLSearchParams): string | undefined {
  const auth = String(headers.authorization ?? '');
  const m = /Credential=([^/,\s]+)\//.exec(auth);
  if (m) return m[1];
  const presigned = query?.get('X-Amz-Credential');
  return presigned ? presigned.split('/')[0] : undefined;
}

/** The service a request was signed for (`<service>` of the same SigV4 scope, e.g. `s3`, `dynamodb`), if signed. */
export function signingServiceOf(headers: IncomingHttpHeaders, query?: URLSearchParams): string | undefined {
  const scope = /Credential=[^/,\s]+\/[^/]+\/[^/]+\/([^/,\s]+)\/aws4_request/.exec(String(headers.authorization ?? ''))?.[1];
  return scope ?? query?.get('X-Amz-Credential')?.split('/')[3];
}
