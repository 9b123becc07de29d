import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionDefinition } from './lambda-runtime';

/**
 * Variables Lambda sets itself and refuses in a function's configuration; GetFunctionConfiguration does not list them.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
const RESERVED_ENV =
  /^(_HANDLER|_X_AMZN_TRACE_ID|AWS_REGION|AWS_DEFAULT_REGION|AWS_EXECUTION_ENV|AWS_LAMBDA_.*|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR)$/;

const codeCache = new Map<string, { mtimeMs: number; size: number; sha256: string }>();

/** Size and base64 SHA-256 of the deployment code (here: the bundle file), as CodeSize and CodeSha256 report them. */
function codeOf(file: string): { size: number; sha256: string; modified: Date } {
  const st = fs.statSync(file);
  let c = codeCache.get(file);
  if (!c || c.mtimeMs !== st.mtimeMs) {
    c = { mtimeMs: st.mtimeMs, size: st.size, sha256: createHash('sha256').update(fs.readFileSync(file)).digest('base64') };
    codeCache.set(file, c);
  }
  return { size: c.size, sha256: c.sha256, modified: st.mtime };
}

/** Lambda's LastModified format: `2024-01-31T12:34:56.789+0000`. */
const lambdaTimestamp = (d: Date) => d.toISOString().replace('Z', '+0000');

/**
 * FunctionConfiguration (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html) of a function
 * the local runtime runs: Runtime is the declared one its workers run on; Architectures is this CPU's.
 */
export function functionConfiguration(def: FunctionDefinition, functionArn: string, roleArn: string | undefined): Record<string, unknown> {
  const code = codeOf(def.handlerFile);
  const variables = Object.fromEntries(Object.entries(def.env).filter(([k]) => !RESERVED_ENV.test(k)));
  return {
    FunctionName: def.name,
    FunctionArn: functionArn,
    // The runtime the function declares, which is the Node.js major its workers run on (node-runtimes.ts).
    Runtime: def.runtime ?? `nodejs${process.versions.node.split('.')[0]}.x`,
    ...(roleArn ? { Role: roleArn } : {}),
    Handler: `${path.basename(def.handlerFile, path.extname(def.handlerFile))}.${def.handlerExport ?? 'handler'}`,
    CodeSize: code.size,
    Description: '',
    Timeout: def.timeoutSeconds,
    MemorySize: def.memoryMb ?? 128,
    LastModified: lambdaTimestamp(code.modified),
    CodeSha256: code.sha256,
    Version: '$LATEST',
    Environment: { Variables: variables },
    TracingConfig: { Mode: 'PassThrough' },
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [process.arch === 'arm64' ? 'arm64' : 'x86_64'],
    EphemeralStorage: { Size: 512 },
  };
}
