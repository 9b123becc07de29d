import { createHash } from 'node:crypto';

/**
 * Value of `!{firehose:error-output-type}` for records the Iceberg destination could not write. The AWS list of
 * values names one per destination kind (processing-failed, format-conversion-failed, ...); this one is ours.
 */
export const ICEBERG_ERROR_OUTPUT_TYPE = 'iceberg-failed';

/** One failed record as Firehose writes it to the error output (one JSON document per line). */
export interface ErrorOutputRecord {
  attemptsMade: number;
  arrivalTimestamp: number;
  errorCode: string;
  errorMessage: string;
  attemptEndingTimestamp: number;
  /** The record's data, base64 (byte-exact, whatever it was). */
  rawData: string;
}

export function errorOutputRecord(r: { attemptsMade: number; arrivalTimestamp: number; errorCode: string; errorMessage: string; attemptEndingTimestamp: number; data: Buffer }): ErrorOutputRecord {
  return {
    attemptsMade: r.attemptsMade,
    arrivalTimestamp: r.arrivalTimestamp,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    attemptEndingTimestamp: r.attemptEndingTimestamp,
    rawData: r.data.toString('base64'),
  };
}

/** Newline-delimited JSON, the body of one error-output object. */
export const errorOutputBody = (records: ErrorOutputRecord[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

/**
 * Evaluates a custom S3 prefix: `!{firehose:error-output-type}`, `!{firehose:random-string}` and
 * `!{timestamp:<Java DateTimeFormatter pattern>}` (UTC; every timestamp in one prefix is the same instant: the
 * arrival time of the oldest record in the object).
 */
export function expandPrefix(prefix: string, o: { errorOutputType: string; at: Date; randomString: string }): string {
  return prefix.replace(/!\{([a-zA-Z]+):([^}]*)\}/g, (whole, ns: string, value: string) => {
    if (ns === 'firehose' && value === 'error-output-type') return o.errorOutputType;
    if (ns === 'firehose' && value === 'random-string') return o.randomString;
    if (ns === 'timestamp') return formatJavaDate(value, o.at);
    throw new Error(`unsupported expression ${whole} in S3 prefix`);
  });
}

/** The subset of java.time.format.DateTimeFormatter patterns prefixes use: y M d H m s S, 'quoted' literals. */
export function formatJavaDate(pattern: string, d: Date): string {
  const fields: Record<string, number> = {
    y: d.getUTCFullYear(),
    M: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    H: d.getUTCHours(),
    m: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    S: d.getUTCMilliseconds(),
  };
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern.charAt(i);
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      out += pattern.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    const v = fields[c];
    if (v !== undefined) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      out += c === 'y' && n === 2 ? String(v % 100).padStart(2, '0') : String(v).padStart(n, '0');
      i += n;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) throw new Error(`unsupported DateTimeFormatter letter '${c}' in ${pattern}`);
    out += c;
    i++;
  }
  return out;
}

/**
 * Object key: `<evaluated prefix><stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<random>`, the S3 object name
 * format Firehose uses. The random part is derived from `uniqueId` so a replayed write lands on the same key.
 */
export function errorObjectKey(o: { prefix: string; streamName: string; streamVersion: number; oldestArrival: Date; uniqueId: string }): string {
  const random = deterministicUuid(o.uniqueId);
  const evaluated = expandPrefix(o.prefix, { errorOutputType: ICEBERG_ERROR_OUTPUT_TYPE, at: o.oldestArrival, randomString: random.slice(0, 11) });
  return `${evaluated}${o.streamName}-${o.streamVersion}-${formatJavaDate('yyyy-MM-dd-HH-mm-ss', o.oldestArrival)}-${random}`;
}

function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
