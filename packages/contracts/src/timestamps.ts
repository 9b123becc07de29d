/**
 * Timestamps in the RAW table. Iceberg `timestamptz` is microseconds since the epoch, UTC (Iceberg spec,
 * "Primitive Types"), and Firehose's Iceberg destination takes them only as such: "For Timestamp data types,
 * you must always send in microseconds" (Amazon Data Firehose developer guide, apache-iceberg-destination-supp).
 * The processor turns the producer's ISO-8601 `event_time` and its own clock into that number here.
 *
 * Micros are sent as a JSON number. AWS does not say how Firehose reads integers beyond 2^53; a JavaScript or
 * double-based reader would round them, so only safe integers are accepted (years 1685..2255): the stricter rule.
 */
export const MAX_SAFE_MICROS = Number.MAX_SAFE_INTEGER;

const ZERO = 0x30;
const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - ZERO;
  return d >= 0 && d <= 9 ? d : -1;
};
/** Two ASCII digits at i as a number, or -1. */
const two = (s: string, i: number): number => {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Fraction digits after the seconds' dot: [micros, index after the digits], or undefined when not 1..9 digits. */
function fraction(value: string, dot: number): [number, number] | undefined {
  let j = dot + 1;
  let micros = 0;
  while (j < value.length && digit(value, j) >= 0) {
    // Digits beyond the sixth are truncated, as Iceberg writers do for microsecond columns.
    if (j - dot <= 6) micros = micros * 10 + digit(value, j);
    j++;
  }
  const count = j - dot - 1;
  if (count < 1 || count > 9) return undefined;
  for (let k = count; k < 6; k++) micros *= 10;
  return [micros, j];
}

/** `Z`, `+HH:MM` or `-HH:MM` at i, ending the text: the offset in minutes, or undefined. */
function zoneOffsetMinutes(value: string, i: number): number | undefined {
  const tz = value.charCodeAt(i);
  if (tz === 0x5a) return i + 1 === value.length ? 0 : undefined;
  if (tz !== 0x2b && tz !== 0x2d) return undefined;
  if (i + 6 !== value.length || value.charCodeAt(i + 3) !== 0x3a) return undefined;
  const oh = two(value, i + 1);
  const om = two(value, i + 4);
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
  return (tz === 0x2d ? -1 : 1) * (oh * 60 + om);
}

/**
 * The producer's `event_time`: ISO-8601 `YYYY-MM-DDTHH:MM[:SS[.f{1,9}]](Z|+HH:MM|-HH:MM)` on a real calendar day
 * (2026-02-30 is refused) -> microseconds since the epoch, or undefined. Read char by char: it runs once per record.
 */
export function isoToEpochMicros(value: string): number | undefined {
  if (value.length < 17) return undefined;
  const y1 = two(value, 0);
  const y2 = two(value, 2);
  if (y1 < 0 || y2 < 0 || value.charCodeAt(4) !== 0x2d || value.charCodeAt(7) !== 0x2d) return undefined;
  if (value.charCodeAt(10) !== 0x54 || value.charCodeAt(13) !== 0x3a) return undefined;
  const [year, month, day, hour, minute] = [y1 * 100 + y2, two(value, 5), two(value, 8), two(value, 11), two(value, 14)];
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!)) return undefined;
  let i = 16;
  let second = 0;
  let micros = 0;
  if (value.charCodeAt(i) === 0x3a) {
    second = two(value, i + 1);
    if (second < 0 || second > 59) return undefined;
    i += 3;
    if (value.charCodeAt(i) === 0x2e) {
      const f = fraction(value, i);
      if (!f) return undefined;
      [micros, i] = f;
    }
  }
  const offset = zoneOffsetMinutes(value, i);
  if (offset === undefined) return undefined;
  const seconds = daysFromCivil(year, month, day) * 86_400 + (hour * 60 + minute - offset) * 60 + second;
  const total = seconds * 1_000_000 + micros;
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Epoch microseconds -> ISO-8601 UTC (`.sss` or `.ssssss` as needed): for logs, reports and readers. */
export function epochMicrosToIso(micros: number | bigint): string {
  const big = BigInt(micros);
  let millis = big / 1000n;
  let rest = big % 1000n;
  if (rest < 0n) {
    rest += 1000n;
    millis -= 1n;
  }
  const iso = new Date(Number(millis)).toISOString();
  return rest === 0n ? iso : `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}

/** A clock reading in epoch microseconds (the processor's `ingested_at`). */
export const epochMicrosOf = (date: Date): number => date.getTime() * 1000;
