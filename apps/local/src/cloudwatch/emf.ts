/** One metric value taken from an Embedded Metric Format log line. */
export interface Datapoint {
  namespace: string;
  name: string;
  /** Dimension name -> value, for one dimension set of the directive. */
  dimensions: Record<string, string>;
  value: number;
  unit?: string;
  /** Epoch ms (`_aws.Timestamp`). */
  timestamp: number;
}

interface MetricDirective {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

/**
 * Parses one log line as CloudWatch does for EMF: the JSON object may follow a runtime prefix
 * (`<time>\t<requestId>\tINFO\t`); each `CloudWatchMetrics` directive yields one datapoint per metric, value and
 * dimension set. Array values are several samples. Lines that are not EMF yield nothing (CloudWatch keeps them
 * as plain log events).
 */
export function parseEmfLine(line: string, now: number = Date.now()): Datapoint[] {
  const start = line.indexOf('{');
  if (start < 0 || !line.includes('"_aws"')) return [];
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line.slice(start));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
    doc = parsed as Record<string, unknown>;
  } catch {
    return [];
  }
  const aws = doc._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (!aws || !Array.isArray(aws.CloudWatchMetrics)) return [];
  const timestamp = typeof aws.Timestamp === 'number' && Number.isFinite(aws.Timestamp) ? aws.Timestamp : now;
  const out: Datapoint[] = [];
  for (const directive of aws.CloudWatchMetrics as MetricDirective[]) {
    if (!directive || typeof directive.Namespace !== 'string' || !Array.isArray(directive.Metrics)) continue;
    const dimensionSets = Array.isArray(directive.Dimensions) && directive.Dimensions.length > 0 ? (directive.Dimensions as unknown[]) : [[]];
    for (const metric of directive.Metrics as Array<{ Name?: unknown; Unit?: unknown }>) {
      if (!metric || typeof metric.Name !== 'string') continue;
      const values = samples(doc[metric.Name]);
      if (values.length === 0) continue;
      for (const set of dimensionSets) {
        const dimensions = resolveDimensions(set, doc);
        if (!dimensions) continue;
        for (const value of values) {
          out.push({ namespace: directive.Namespace, name: metric.Name, dimensions, value, unit: typeof metric.Unit === 'string' ? metric.Unit : undefined, timestamp });
        }
      }
    }
  }
  return out;
}

function samples(v: unknown): number[] {
  if (typeof v === 'number' && Number.isFinite(v)) return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return [];
}

/** A dimension set whose member is missing from the document is invalid for CloudWatch: skip it. */
function resolveDimensions(set: unknown, doc: Record<string, unknown>): Record<string, string> | undefined {
  if (!Array.isArray(set)) return undefined;
  const dims: Record<string, string> = {};
  for (const key of set) {
    if (typeof key !== 'string' || typeof doc[key] !== 'string') return undefined;
    dims[key] = doc[key] as string;
  }
  return dims;
}
