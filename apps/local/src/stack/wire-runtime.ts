import { MetricStore } from '../cloudwatch';
import type { StackAuthorization } from '../iam/stack-authorization';
import { LambdaRuntime } from '../lambda';
import type { Cleanup } from './cleanup';
import { DropCounter } from './drop-counter';

export interface RuntimeWiring {
  runtime: LambdaRuntime;
  /** CloudWatch: the functions' EMF metrics, Firehose's and the sampled service metrics. */
  metrics: MetricStore;
  /** The processor's DROPPING lines, counted per reason. */
  dropping: DropCounter;
}

/**
 * The Lambda runtime and where the functions' log lines go: CloudWatch Logs (the stack log and the EMF metrics in
 * each line) when the function's role may deliver them; a line CloudWatch Logs refuses is lost on AWS, and the EMF
 * metrics in it: it is kept in the stack log only, marked.
 */
export function startRuntime(o: { region: string; dataDir: string; processorName: string; iam: StackAuthorization; log: (line: string) => void; cleanup: Cleanup }): RuntimeWiring {
  const metrics = new MetricStore();
  const dropping = DropCounter.forDataDir(o.dataDir);
  o.cleanup.push(() => dropping.close());
  const runtime = new LambdaRuntime({
    region: o.region,
    onLog: (fn, line) => {
      if (!o.iam.logsDelivered(fn)) return o.log(`${fn} [not delivered to CloudWatch Logs: AccessDenied] ${line}`);
      metrics.ingestLogLine(line);
      if (fn === o.processorName) dropping.ingest(line);
      o.log(`${fn} ${line}`);
    },
  });
  o.cleanup.push(() => runtime.close());
  return { runtime, metrics, dropping };
}
