import * as path from 'node:path';
import type { LambdaRuntime } from '../lambda';
import { unpackFunction } from '../plan/function-package';
import type { FunctionPlan } from '../plan/stack-plan-of';

/**
 * Registers every function of the plan with the environment exactly as synthesized (references resolved to the
 * local endpoints) plus what Lambda itself sets (region, credentials) and the endpoint overrides that point the
 * SDK at the local stack, running the code of the deployment package the stack uploads.
 */
export async function registerFunctions(
  runtime: LambdaRuntime,
  functions: readonly FunctionPlan[],
  o: { dataDir: string; awsEnv: Record<string, string>; /** Each function's own credentials (its execution role's). */ credentials?: (f: FunctionPlan) => Record<string, string> },
): Promise<void> {
  for (const f of functions) {
    const { handlerFile, handlerExport } = await unpackFunction(f.packageZip, f.handler, path.join(o.dataDir, 'functions'), f.name);
    runtime.register({
      name: f.name,
      handlerFile,
      handlerExport,
      env: { ...f.env, ...o.awsEnv, ...(o.credentials?.(f) ?? {}) },
      timeoutSeconds: f.timeoutSeconds,
      memoryMb: f.memoryMb,
      concurrency: f.concurrency,
      runtime: f.runtime,
    });
  }
}
