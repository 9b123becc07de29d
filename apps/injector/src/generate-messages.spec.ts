import { join } from 'node:path';
import { LIMITS, MESSAGE_ID_PATTERN, MESSAGE_FIELDS } from '@lean-ops/contracts';
import { EXPECTED_BY_KIND } from './expected-outcome';
import { breakJson, generateMessages, MALFORMED_KINDS, OVERSIZE_BODY_BYTES, type GeneratedMessage, type TopicInfo } from './generate-messages';
import { loadScenario, parseScenario } from './load-scenario';
import { DRIFT_KEYS, LARGE_INTEGER, UNICODE_TEXT } from './payload-fields';
import { createRng } from './prng';
import { ScenarioError } from './scenario-error';
import type { Scenario } from './scenario-schema';
import assert from 'node:assert/strict';

const TOPICS: TopicInfo[] = [
  { name: 'orders', expectedFields: ['order_id', 'customer_id', 'amount', 'currency', 'status', 'created_at'] },
  { name: 'payments', expectedFields: ['payment_id', 'order_id', 'amount', 'currency', 'method', 'captured_at'] },
  { name: 'clickstream', expectedFields: ['session_id', 'user_id', 'page', 'action', 'occurred_at'] },
];
const FIELDS = new Map(TOPICS.map((t) => [t.name, new Set(t.expectedFields)]));
const NOW = new Date('2026-11-26T08:00:00Z');
const CONFIGS = join(__dirname, '..', 'tests', 'configs');

const scenario = (over: Record<string, unknown> = {}): Scenario =>
  parseScenario({ name: 'test', total: 1000, rate: 'unlimited', seed: 1, topics: { orders: 1, payments: 1, clickstream: 1 }, ...over }, 'test.json');

const countBy = <T>(items: T[], key: (t: T) => string) => items.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {});

const payloadText = (m: GeneratedMessage) => {
  const start = m.body.indexOf(`"${MESSAGE_FIELDS.payload}":`) + MESSAGE_FIELDS.payload.length + 3;
  const end = m.fault ? m.body.lastIndexOf(`,"${MESSAGE_FIELDS.fault}"`) : m.body.length - 1;
  return m.body.slice(start, end);
};

describe('generateMessages', () => {
  let herd: GeneratedMessage[];
  beforeAll(async () => {
    herd = generateMessages(await loadScenario(join(CONFIGS, 'thundering_herd.json')), TOPICS, { now: NOW });
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const a = generateMessages(scenario(), TOPICS, { now: NOW });
    const b = generateMessages(scenario(), TOPICS, { now: NOW });
    const c = generateMessages(scenario({ seed: 2 }), TOPICS, { now: NOW });
    expect(b.map((m) => m.body)).toEqual(a.map((m) => m.body));
    expect(c.map((m) => m.body)).not.toEqual(a.map((m) => m.body));
  });

  it('is reproducible without a clock when the scenario anchors event_time', () => {
    const s = scenario({ event_time: '2026-01-01T00:00:00Z' });
    expect(generateMessages(s, TOPICS)).toEqual(generateMessages(s, TOPICS));
    for (const m of generateMessages(s, TOPICS).filter((x) => x.kind === 'good')) {
      const t = Date.parse(JSON.parse(m.body).event_time);
      expect(t).toBeLessThanOrEqual(Date.parse('2026-01-01T00:00:00Z'));
      expect(t).toBeGreaterThan(Date.parse('2025-12-31T23:58:00Z'));
    }
  });

  it('splits the thundering herd exactly by topic weight and mix', () => {
    expect(herd).toHaveLength(5000);
    expect(countBy(herd, (m) => m.topic)).toEqual({ orders: 2000, payments: 1000, clickstream: 2000 });
    expect(countBy(herd, (m) => m.kind)).toEqual({ good: 4600, malformed_json: 100, processing_error: 50, schema_drift: 250 });
    expect(countBy(herd, (m) => m.expected)).toEqual({ raw: 4850, quarantine: 100, dlq: 50 });
    // Shuffled: faults are spread through the run, not bunched at the end.
    const firstMalformed = herd.findIndex((m) => m.kind === 'malformed_json');
    expect(firstMalformed).toBeLessThan(500);
  });

  it('keeps the expected outcome of each kind', () => {
    expect(herd.filter((m) => m.expected !== EXPECTED_BY_KIND[m.kind])).toEqual([]);
  });

  it('writes malformed JSON of every kind, none of which parses', () => {
    const malformed = herd.filter((m) => m.kind === 'malformed_json');
    for (const m of malformed) {
      expect(() => JSON.parse(m.body)).toThrow();
      expect(m.messageId).toBeUndefined();
    }
    const rng = createRng(3);
    const good = herd.find((m) => m.kind === 'good')!.body;
    for (const kind of MALFORMED_KINDS) expect(() => JSON.parse(breakJson(good, kind, rng))).toThrow();
    expect(malformed.some((m) => m.body.includes(`${MESSAGE_FIELDS.payload}:{`))).toBe(true);
    expect(malformed.some((m) => m.body.endsWith(',}}'))).toBe(true);
    expect(malformed.some((m) => m.body.startsWith(`{'${MESSAGE_FIELDS.messageId}'`))).toBe(true);
  });

  it('gives every well-formed message a unique message_id and an ISO event_time', () => {
    const wellFormed = herd.filter((m) => m.kind !== 'malformed_json');
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;
    const wrong = wellFormed.filter((m) => {
      const body = JSON.parse(m.body);
      return (
        body.message_id !== m.messageId ||
        !MESSAGE_ID_PATTERN.test(m.messageId ?? '') ||
        !new RegExp(`^thundering_herd-${m.topic}-\\d{6}$`).test(m.messageId ?? '') ||
        !iso.test(body.event_time) ||
        Number.isNaN(Date.parse(body.event_time)) ||
        typeof body.json_payload !== 'object' ||
        Array.isArray(body.json_payload) ||
        m.bytes !== Buffer.byteLength(m.body, 'utf8')
      );
    });
    expect(wrong).toEqual([]);
    expect(new Set(wellFormed.map((m) => m.messageId)).size).toBe(wellFormed.length);
    // Some event times carry an offset instead of Z; both are ISO-8601.
    expect(wellFormed.some((m) => JSON.parse(m.body).event_time.endsWith('+05:30'))).toBe(true);
  });

  it('puts only expected fields in regular payloads and extra ones in drift payloads', () => {
    const keys = (m: GeneratedMessage) => Object.keys(JSON.parse(m.body).json_payload);
    const regular = herd.filter((x) => x.kind === 'good' || x.kind === 'processing_error');
    expect(regular.flatMap((m) => keys(m).filter((k) => !FIELDS.get(m.topic)!.has(k)))).toEqual([]);
    const drift = herd.filter((x) => x.kind === 'schema_drift');
    const extras = drift.map((m) => keys(m).filter((k) => !FIELDS.get(m.topic)!.has(k)));
    expect(extras.filter((e) => e.length === 0)).toEqual([]);
    expect(extras.flat().filter((k) => !DRIFT_KEYS.includes(k))).toEqual([]);
  });

  it('asks the stand-ins for faults with the _fault attribute', () => {
    const s = scenario({ mix: { processing_error: 5, firehose_reject: 5, firehose_throttle_once: 5, lambda_crash_once: 5 } });
    for (const m of generateMessages(s, TOPICS, { now: NOW })) {
      const fault = m.kind === 'good' ? undefined : m.kind;
      expect(JSON.parse(m.body)[MESSAGE_FIELDS.fault]).toBe(fault);
      expect(m.fault).toBe(fault);
    }
  });

  it('carries a number beyond 2^53 and unicode in the first regular message of each topic', () => {
    for (const topic of FIELDS.keys()) {
      const first = herd.find((m) => m.topic === topic && m.kind === 'good')!;
      expect(payloadText(first)).toMatch(new RegExp(`:${LARGE_INTEGER}[,}]`));
      expect(first.body).toContain(UNICODE_TEXT);
      expect(first.bytes).toBeGreaterThan(first.body.length);
    }
    // JSON.parse cannot hold it: the text is what must survive.
    expect(String(Number(LARGE_INTEGER))).not.toBe(LARGE_INTEGER);
  });

  it('makes oversize records over the Firehose record limit but within the SQS message limit', () => {
    const messages = generateMessages(scenario({ total: 100, mix: { oversize: 3 } }), TOPICS, { now: NOW });
    const oversize = messages.filter((m) => m.kind === 'oversize');
    expect(oversize).toHaveLength(3);
    for (const m of oversize) {
      expect(m.bytes).toBe(OVERSIZE_BODY_BYTES);
      expect(m.bytes).toBeGreaterThan(LIMITS.firehoseMaxRecordBytes);
      expect(m.bytes).toBeLessThanOrEqual(LIMITS.sqsMaxMessageBytes);
      // The RAW row carries json_payload as a JSON string, so it is at least as large as the payload text.
      expect(Buffer.byteLength(JSON.stringify(payloadText(m)), 'utf8')).toBeGreaterThan(LIMITS.firehoseMaxRecordBytes);
      expect(m.expected).toBe('quarantine');
      expect(typeof JSON.parse(m.body).json_payload).toBe('object');
    }
  });

  it('pads payloads to payload_bytes', () => {
    const messages = generateMessages(scenario({ total: 50, payload_bytes: 4096 }), TOPICS, { now: NOW });
    for (const m of messages) expect(Buffer.byteLength(payloadText(m), 'utf8')).toBe(4096);
  });

  it('repeats an earlier RAW-bound message of the same topic for a duplicate', () => {
    const messages = generateMessages(scenario({ mix: { duplicate: 10 } }), TOPICS, { now: NOW });
    const dups = messages.map((m, i) => ({ m, i })).filter(({ m }) => m.kind === 'duplicate');
    expect(dups).toHaveLength(99);
    for (const { m, i } of dups) {
      const original = messages[m.duplicateOf!];
      assert(original);
      expect(m.duplicateOf!).toBeLessThan(i);
      expect(original.expected).toBe('raw');
      expect(m.body).toBe(original.body);
      expect(m.messageId).toBe(original.messageId);
      expect(m.topic).toBe(original.topic);
      expect(m.expected).toBe('duplicate');
    }
  });

  it('sends every record of a poison topic with a processing error, and keeps the others clean', async () => {
    const messages = generateMessages(await loadScenario(join(CONFIGS, 'poison_topic.json')), TOPICS, { now: NOW });
    expect(
      countBy(
        messages.filter((m) => m.topic === 'payments'),
        (m) => m.kind,
      ),
    ).toEqual({ processing_error: 500 });
    expect(
      countBy(
        messages.filter((m) => m.topic !== 'payments'),
        (m) => m.kind,
      ),
    ).toEqual({ good: 1000 });
  });

  it('refuses a scenario topic the environment does not have', () => {
    const s = scenario({ topics: { orders: 1, refunds: 2 } });
    expect(() => generateMessages(s, TOPICS)).toThrow(ScenarioError);
    try {
      generateMessages(s, TOPICS);
    } catch (err) {
      expect((err as ScenarioError).problems).toEqual(['test.json: topics.refunds: 2: not a topic of the environment (topics: orders, payments, clickstream)']);
    }
  });

  it('uses generic fields for a topic without expected fields', () => {
    const [m] = generateMessages(scenario({ total: 1, topics: { orders: 1 } }), [{ name: 'orders', expectedFields: [] }], { now: NOW });
    assert(m);
    expect(Object.keys(JSON.parse(m.body.replace(LARGE_INTEGER, '0')).json_payload)).toEqual(expect.arrayContaining(['id', 'value', 'created_at']));
  });
});
