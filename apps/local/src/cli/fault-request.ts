export interface FaultRequest {
  firehose?: { perRecordFailureRate?: number; throttleForMs?: number };
  s3?: 'down' | 'up';
  dynamodb?: 'down' | 'up';
}

type Parsed = { ok: true; value: FaultRequest } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body of `POST /_lean-ops/faults`; unknown keys are refused so a typo never silently does nothing. */
export function parseFaultRequest(text: string): Parsed {
  let body: unknown;
  try {
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    return { ok: false, error: 'body must be JSON' };
  }
  if (!isObject(body)) return { ok: false, error: 'body must be a JSON object' };
  const out: FaultRequest = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 's3' || k === 'dynamodb') {
      if (v !== 'down' && v !== 'up') return { ok: false, error: `${k} must be "down" or "up"` };
      out[k] = v;
    } else if (k === 'firehose') {
      if (!isObject(v)) return { ok: false, error: 'firehose must be an object {perRecordFailureRate?, throttleForMs?}' };
      const f: NonNullable<FaultRequest['firehose']> = {};
      for (const [fk, fv] of Object.entries(v)) {
        if (fk === 'perRecordFailureRate') {
          if (typeof fv !== 'number' || !(fv >= 0 && fv <= 1)) return { ok: false, error: 'firehose.perRecordFailureRate must be a number in 0..1' };
          f.perRecordFailureRate = fv;
        } else if (fk === 'throttleForMs') {
          if (typeof fv !== 'number' || !Number.isFinite(fv) || fv < 0) return { ok: false, error: 'firehose.throttleForMs must be a number >= 0' };
          f.throttleForMs = fv;
        } else return { ok: false, error: `unknown key firehose.${fk}` };
      }
      out.firehose = f;
    } else return { ok: false, error: `unknown key ${k} (expected firehose, s3, dynamodb)` };
  }
  return { ok: true, value: out };
}
