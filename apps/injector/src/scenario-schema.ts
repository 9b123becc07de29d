import { z } from 'zod';
import { FAULTS, LIMITS, TOPIC_NAME_PATTERN, type Fault } from '@lean-ops/contracts';

/**
 * The scenario file: what the injector sends. Strict: an unknown key is an error, never ignored,
 * so that a typo such as `malformed: 2` cannot silently send a clean run.
 */

/** Kinds of message a scenario mixes in, as percentages of the records of a topic. */
export const MIX_KINDS = [
  'malformed_json',
  'processing_error',
  'schema_drift',
  'oversize',
  'firehose_reject',
  'firehose_throttle_once',
  'lambda_crash_once',
  'duplicate',
  'lambda_crash',
  'lambda_timeout_once',
] as const;
export type MixKind = (typeof MIX_KINDS)[number];
export type Mix = Record<MixKind, number>;

// Every fault the local stand-ins honour can be mixed in (fails to compile if contracts add one).
const FAULTS_ARE_MIX_KINDS: ReadonlyArray<MixKind> = FAULTS satisfies ReadonlyArray<Fault & MixKind>;
void FAULTS_ARE_MIX_KINDS;

export const SCENARIO_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const MAX_TOTAL = 1_000_000;
export const MAX_CONCURRENCY = 64;
export const DEFAULT_CONCURRENCY = 16;
/** Typical payloads are small; anything near the SQS limit belongs in the `oversize` mix instead. */
export const MIN_PAYLOAD_BYTES = 64;
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Oversize records are ~1 MiB each and all are held in memory before sending. */
export const MAX_OVERSIZE_RECORDS = 200;

const percent = z.number({ error: 'must be a number (percent of the records)' }).min(0, 'must be >= 0').max(100, 'must be <= 100');

const sumOf = (mix: Partial<Mix>) => Object.values(mix).reduce<number>((s, v) => s + (v ?? 0), 0);

const mixSchema = z
  .strictObject(
    {
      malformed_json: percent.optional(),
      processing_error: percent.optional(),
      schema_drift: percent.optional(),
      oversize: percent.optional(),
      firehose_reject: percent.optional(),
      firehose_throttle_once: percent.optional(),
      lambda_crash_once: percent.optional(),
      duplicate: percent.optional(),
      lambda_crash: percent.optional(),
      lambda_timeout_once: percent.optional(),
    } satisfies Record<MixKind, unknown>,
    { error: 'must be an object of percentages, e.g. { "malformed_json": 2 }' },
  )
  .superRefine((mix, ctx) => {
    const sum = sumOf(mix);
    if (sum > 100) ctx.addIssue({ code: 'custom', message: `percentages sum to ${round(sum)}, must be <= 100` });
  });

const weight = z.number({ error: 'must be a weight (a number > 0)' }).refine((n) => n > 0 && Number.isFinite(n), 'weight must be > 0');

export const TOPIC_ENTRY_RULE = 'must be a weight (a number > 0) or { "weight": <number > 0>, "mix": { ... } }';

const topicEntry = z.union([weight, z.strictObject({ weight, mix: mixSchema.optional() }, { error: TOPIC_ENTRY_RULE })], { error: TOPIC_ENTRY_RULE });

const EVENT_TIME_RULE = 'must be "now" or an ISO-8601 date-time such as "2026-11-26T08:00:00Z"';

const topicName = z.string().regex(TOPIC_NAME_PATTERN, `topic names are lower-case letters, digits, "_" and "-" (${TOPIC_NAME_PATTERN.source})`);

const integer = (what: string) => z.number({ error: `must be an integer ${what}` }).int(`must be an integer ${what}`);

export const scenarioSchema = z
  .strictObject(
    {
      name: z.string({ error: 'must be a string' }).regex(SCENARIO_NAME_PATTERN, `must match ${SCENARIO_NAME_PATTERN.source} (it becomes part of every message_id)`),
      description: z.string({ error: 'must be a string' }).optional(),
      total: integer('> 0').min(1, 'must be > 0').max(MAX_TOTAL, `must be <= ${MAX_TOTAL}`),
      rate: z.union([z.literal('unlimited'), z.number().refine((n) => n > 0 && Number.isFinite(n), 'must be > 0 records per second (or "unlimited")')], {
        error: 'must be a number of records per second > 0 or "unlimited"',
      }),
      seed: z
        .number({ error: 'must be an integer >= 0 (seed of the generator)' })
        .int('must be an integer >= 0 (seed of the generator)')
        .min(0, 'must be an integer >= 0 (seed of the generator)')
        .max(Number.MAX_SAFE_INTEGER, 'must be <= 2^53 - 1'),
      topics: z.record(topicName, topicEntry, { error: 'must be an object { "<topic>": <weight> }' }).refine((t) => Object.keys(t).length > 0, 'must name at least one topic'),
      mix: mixSchema.optional(),
      payload_bytes: integer(`between ${MIN_PAYLOAD_BYTES} and ${MAX_PAYLOAD_BYTES}`)
        .min(MIN_PAYLOAD_BYTES, `must be between ${MIN_PAYLOAD_BYTES} and ${MAX_PAYLOAD_BYTES}`)
        .max(MAX_PAYLOAD_BYTES, `must be between ${MIN_PAYLOAD_BYTES} and ${MAX_PAYLOAD_BYTES} (larger records belong in the oversize mix)`)
        .optional(),
      event_time: z.union([z.literal('now'), z.iso.datetime({ offset: true, error: EVENT_TIME_RULE })], { error: EVENT_TIME_RULE }).optional(),
      concurrency: integer(`between 1 and ${MAX_CONCURRENCY}`).min(1, `must be between 1 and ${MAX_CONCURRENCY}`).max(MAX_CONCURRENCY, `must be between 1 and ${MAX_CONCURRENCY}`).optional(),
    },
    { error: 'must be a JSON object' },
  )
  .superRefine((s, ctx) => {
    // Oversize records are each just under the 1 MiB SQS limit; cap them so a typo cannot ask for gigabytes.
    const oversize = estimateOversize(s.total, s.topics, s.mix);
    if (oversize > MAX_OVERSIZE_RECORDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['mix', 'oversize'],
        params: { value: s.mix?.oversize ?? 0 },
        message: `asks for about ${oversize} oversize records (~1 MiB each); at most ${MAX_OVERSIZE_RECORDS}`,
      });
    }
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
type ParsedScenario = z.output<typeof scenarioSchema>;

export interface TopicPlan {
  weight: number;
  /** The topic's own mix if it has one (it replaces the scenario's mix for that topic), else the scenario's. */
  mix: Mix;
}

/** A validated scenario, with defaults applied. */
export interface Scenario {
  name: string;
  description?: string;
  total: number;
  /** Records per second, or 'unlimited'. */
  rate: number | 'unlimited';
  seed: number;
  /** In file order. */
  topics: Record<string, TopicPlan>;
  mix: Mix;
  /** Typical payload size in bytes; undefined: the natural size of the topic's fields (~150 bytes). */
  payloadBytes?: number;
  /** 'now' (the generation time) or an ISO-8601 anchor for reproducible event times. */
  eventTime: 'now' | string;
  /** SendMessageBatch calls in flight. */
  concurrency: number;
  /** The file the scenario came from (for messages). */
  sourceFile: string;
}

export const emptyMix = (): Mix => Object.fromEntries(MIX_KINDS.map((k) => [k, 0])) as Mix;
const fullMix = (m: Partial<Mix> | undefined): Mix => ({ ...emptyMix(), ...stripUndefined(m ?? {}) });

function stripUndefined(m: Partial<Mix>): Partial<Mix> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function estimateOversize(total: number, topics: ParsedScenario['topics'], mix: Partial<Mix> | undefined): number {
  const entries = Object.values(topics).map((t) => (typeof t === 'number' ? { weight: t, mix } : { weight: t.weight, mix: t.mix ?? mix }));
  const weights = entries.reduce((s, e) => s + e.weight, 0);
  return Math.round(entries.reduce((s, e) => s + (total * e.weight * (e.mix?.oversize ?? 0)) / weights / 100, 0));
}

export function toScenario(parsed: ParsedScenario, sourceFile: string): Scenario {
  const mix = fullMix(parsed.mix);
  const topics: Record<string, TopicPlan> = {};
  for (const [name, entry] of Object.entries(parsed.topics)) {
    topics[name] = typeof entry === 'number' ? { weight: entry, mix } : { weight: entry.weight, mix: entry.mix ? fullMix(entry.mix) : mix };
  }
  return {
    name: parsed.name,
    ...(parsed.description !== undefined ? { description: parsed.description } : {}),
    total: parsed.total,
    rate: parsed.rate,
    seed: parsed.seed,
    topics,
    mix,
    ...(parsed.payload_bytes !== undefined ? { payloadBytes: parsed.payload_bytes } : {}),
    eventTime: parsed.event_time ?? 'now',
    concurrency: parsed.concurrency ?? DEFAULT_CONCURRENCY,
    sourceFile,
  };
}

/** The record limit the oversize mix aims between: over Firehose's, under SQS's. */
export const OVERSIZE_WINDOW = { over: LIMITS.firehoseMaxRecordBytes, under: LIMITS.sqsMaxMessageBytes } as const;
