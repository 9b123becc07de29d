import { problemLine, showValue } from '@lean-ops/config';
import { FAULTS, MESSAGE_FIELDS, type Fault } from '@lean-ops/contracts';
import { allocate } from './allocate';
import { EXPECTED_BY_KIND, type ExpectedOutcome, type MessageKind } from './expected-outcome';
import { writeObject, type Entries } from './json-writer';
import { buildPayload, padEntries } from './payload-fields';
import { createRng, type Rng } from './prng';
import { ScenarioError } from './scenario-error';
import { MIX_KINDS, OVERSIZE_WINDOW, type Scenario } from './scenario-schema';

/** What the generator needs to know about a topic (a subset of the environment's TopicConfig). */
export interface TopicInfo {
  name: string;
  expectedFields: string[];
}

export interface GeneratedMessage {
  topic: string;
  kind: MessageKind;
  /** Where the message must end (see EXPECTED_BY_KIND). */
  expected: ExpectedOutcome;
  /** The body's message_id; absent for malformed JSON (nothing can read it). */
  messageId?: string;
  body: string;
  /** UTF-8 size of the body: what SQS counts against its limits. */
  bytes: number;
  /** The `_fault` attribute, when the message asks a local stand-in for one. */
  fault?: Fault;
  /** For a duplicate: the index of the message it repeats. */
  duplicateOf?: number;
}

export interface GenerateOptions {
  /** Anchor for `event_time: "now"` scenarios (default: the current time). */
  now?: Date;
}

export const MALFORMED_KINDS = ['truncated', 'trailing_comma', 'unquoted_key', 'single_quotes'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** Midway between the Firehose record limit (1,000 KiB) and the SQS message limit (1 MiB). */
export const OVERSIZE_BODY_BYTES = Math.floor((OVERSIZE_WINDOW.over + OVERSIZE_WINDOW.under) / 2);

/** Share of regular payloads with a number beyond 2^53 and with non-ASCII text. */
const LARGE_INTEGER_SHARE = 0.02;
const UNICODE_SHARE = 0.05;
/** Share of event times written with a UTC offset instead of `Z` (both are valid ISO-8601). */
const OFFSET_TIME_SHARE = 0.03;
const EVENT_TIME_SPREAD_MS = 60_000;

const FAULT_SET: ReadonlySet<string> = new Set(FAULTS);
const isFault = (k: MessageKind): k is Fault => FAULT_SET.has(k);

interface Slot {
  topic: string;
  kind: MessageKind;
}

/**
 * Builds the scenario's messages: pure and seeded (same scenario, topics and anchor give the same bytes).
 * Counts per topic and per kind are exact (largest remainder); their order is shuffled.
 */
export function generateMessages(scenario: Scenario, topics: TopicInfo[], options: GenerateOptions = {}): GeneratedMessage[] {
  const fieldsByTopic = topicFields(scenario, topics);
  const rng = createRng(scenario.seed);
  const anchorMs = options.now?.getTime() ?? (scenario.eventTime === 'now' ? Date.now() : Date.parse(scenario.eventTime));

  const slots = rng.shuffle(planSlots(scenario));
  const seq = new Map<string, number>();
  const rawByTopic = new Map<string, number[]>();
  const pendingDuplicates = new Map<string, number>();
  const firstRawSeen = new Set<string>();
  const out: GeneratedMessage[] = [];
  let malformedCount = 0;

  const emitDuplicate = (topic: string) => {
    const candidates = rawByTopic.get(topic) ?? [];
    const index = rng.pick(candidates);
    const original = out[index];
    if (!original) throw new RangeError(`duplicate of message ${index}, which was not generated`);
    out.push({ ...original, kind: 'duplicate', expected: 'duplicate', duplicateOf: index });
  };

  for (const slot of slots) {
    const { topic, kind } = slot;
    if (kind === 'duplicate') {
      if (rawByTopic.get(topic)?.length) emitDuplicate(topic);
      else pendingDuplicates.set(topic, (pendingDuplicates.get(topic) ?? 0) + 1);
      continue;
    }
    const n = (seq.get(topic) ?? 0) + 1;
    seq.set(topic, n);
    const messageId = `${scenario.name}-${topic}-${String(n).padStart(6, '0')}`;
    // The first regular message of each topic always carries both a large integer and unicode,
    // so a run of any size can check that the RAW table keeps them byte for byte.
    const showcase = kind === 'good' && !firstRawSeen.has(topic);
    if (showcase) firstRawSeen.add(topic);
    const payload = buildPayload(fieldsByTopic.get(topic) ?? [], rng, anchorMs, {
      largeInteger: showcase || rng.chance(LARGE_INTEGER_SHARE),
      unicode: showcase || rng.chance(UNICODE_SHARE),
      driftKeys: kind === 'schema_drift' ? rng.int(1, 3) : 0,
      ...(scenario.payloadBytes !== undefined && kind !== 'oversize' ? { targetBytes: scenario.payloadBytes } : {}),
    });
    const fault = isFault(kind) ? kind : undefined;
    const eventTime = eventTimeText(anchorMs - rng.int(0, EVENT_TIME_SPREAD_MS), rng.chance(OFFSET_TIME_SHARE));
    let body = messageBody(messageId, eventTime, payload, fault);
    if (kind === 'oversize') body = oversizeBody(messageId, eventTime, payload);
    if (kind === 'malformed_json') body = breakJson(body, MALFORMED_KINDS[malformedCount++ % MALFORMED_KINDS.length] ?? 'truncated', rng);

    const message: GeneratedMessage = {
      topic,
      kind,
      expected: EXPECTED_BY_KIND[kind],
      ...(kind === 'malformed_json' ? {} : { messageId }),
      body,
      bytes: Buffer.byteLength(body, 'utf8'),
      ...(fault ? { fault } : {}),
    };
    out.push(message);
    if (message.expected === 'raw') {
      const list = rawByTopic.get(topic) ?? [];
      list.push(out.length - 1);
      rawByTopic.set(topic, list);
      const pending = pendingDuplicates.get(topic) ?? 0;
      if (pending > 0) {
        pendingDuplicates.set(topic, pending - 1);
        emitDuplicate(topic);
      }
    }
  }

  // Duplicates asked for on a topic that never produced a RAW-bound message repeat one of another topic;
  // with no RAW-bound message at all there is nothing to repeat, and they are left out.
  const anyRaw = [...rawByTopic.entries()].find(([, list]) => list.length > 0)?.[0];
  for (const [, count] of pendingDuplicates) {
    for (let i = 0; i < count && anyRaw; i++) emitDuplicate(anyRaw);
  }
  return out;
}

function topicFields(scenario: Scenario, topics: TopicInfo[]): Map<string, string[]> {
  const known = new Map(topics.map((t) => [t.name, t.expectedFields]));
  const problems = Object.entries(scenario.topics)
    .filter(([name]) => !known.has(name))
    .map(([name, plan]) => problemLine(scenario.sourceFile, `topics.${name}`, showValue(plan.weight), `not a topic of the environment (topics: ${[...known.keys()].join(', ') || 'none'})`));
  if (problems.length) throw new ScenarioError(problems);
  return known;
}

function planSlots(scenario: Scenario): Slot[] {
  const plans = Object.entries(scenario.topics);
  const perTopic = allocate(
    scenario.total,
    plans.map(([, plan]) => plan.weight),
  );
  const slots: Slot[] = [];
  plans.forEach(([topic, { mix }], t) => {
    const percentages = MIX_KINDS.map((k) => mix[k]);
    const good = Math.max(0, 100 - percentages.reduce((s, p) => s + p, 0));
    const counts = allocate(perTopic[t] ?? 0, [...percentages, good]);
    const kinds: MessageKind[] = [...MIX_KINDS, 'good'];
    kinds.forEach((kind, k) => {
      for (let i = 0; i < (counts[k] ?? 0); i++) slots.push({ topic, kind });
    });
  });
  return slots;
}

function messageBody(messageId: string, eventTime: string, payload: Entries, fault: Fault | undefined): string {
  const payloadText = writeObject(payload);
  const fields = [
    `${JSON.stringify(MESSAGE_FIELDS.messageId)}:${JSON.stringify(messageId)}`,
    `${JSON.stringify(MESSAGE_FIELDS.eventTime)}:${JSON.stringify(eventTime)}`,
    `${JSON.stringify(MESSAGE_FIELDS.payload)}:${payloadText}`,
  ];
  if (fault) fields.push(`${JSON.stringify(MESSAGE_FIELDS.fault)}:${JSON.stringify(fault)}`);
  return `{${fields.join(',')}}`;
}

/** A body of exactly OVERSIZE_BODY_BYTES: the payload grows by the bytes still missing. */
function oversizeBody(messageId: string, eventTime: string, payload: Entries): string {
  const base = messageBody(messageId, eventTime, payload, undefined);
  const missing = OVERSIZE_BODY_BYTES - Buffer.byteLength(base, 'utf8');
  const payloadBytes = Buffer.byteLength(writeObject(payload), 'utf8');
  const padded: Entries = payload.map(([k, v]) => [k, v]);
  padEntries(padded, payloadBytes + missing);
  return messageBody(messageId, eventTime, padded, undefined);
}

function eventTimeText(ms: number, withOffset: boolean): string {
  if (!withOffset) return new Date(ms).toISOString();
  // +05:30: a real zone with a half-hour offset, so parsers that assume whole hours are caught.
  const offsetMinutes = 330;
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  return `${local}+05:30`;
}

/** Turns a valid body into invalid JSON of the given kind. */
export function breakJson(body: string, kind: MalformedKind, rng: Rng): string {
  switch (kind) {
    case 'truncated': {
      // Any proper prefix of a JSON object is invalid; never split a UTF-16 surrogate pair.
      let cut = rng.int(Math.floor(body.length * 0.3), body.length - 2);
      const code = body.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
      return body.slice(0, cut);
    }
    case 'trailing_comma':
      return `${body.slice(0, -2)},}}`;
    case 'unquoted_key':
      return body.replace(`"${MESSAGE_FIELDS.payload}":`, `${MESSAGE_FIELDS.payload}:`);
    case 'single_quotes':
      return body.replace(`"${MESSAGE_FIELDS.messageId}":"`, `'${MESSAGE_FIELDS.messageId}':"`);
  }
}
