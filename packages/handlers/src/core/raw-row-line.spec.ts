import type { RawRow } from '@lean-ops/contracts';
import { rawRowLine } from './raw-row-line';

const base: RawRow = {
  topic_name: 'orders',
  message_id: 'ord-1',
  event_time: 1795677342123000,
  ingested_at: 1795680000000000,
  json_payload: '{"a":1}',
  drift_fields: [],
  receive_count: 1,
  source_queue: 'lo-dev-orders',
};

const awkward = ['', 'plain', 'quo"te', 'back\\slash', 'tab\there', 'nl\n', '\u0000\u001f\u007f', 'é😀東京', '\uD800 lone', 'lone \uDC00', '\u2028\u2029', '</script>'];

describe('rawRowLine', () => {
  it('is JSON.stringify(row) plus a newline for plain rows', () => {
    expect(rawRowLine(base)).toBe(`${JSON.stringify(base)}\n`);
    expect(
      rawRowLine({
        ...base,
        event_time: null,
        drift_fields: ['x', 'y"z'],
        receive_count: 12,
      }),
    ).toBe(
      `${JSON.stringify({
        ...base,
        event_time: null,
        drift_fields: ['x', 'y"z'],
        receive_count: 12,
      })}\n`,
    );
  });

  it.each(awkward.map((s) => [JSON.stringify(s), s] as const))('escapes %s in every string column exactly like JSON.stringify', (_, s) => {
    for (const key of ['topic_name', 'message_id', 'json_payload', 'source_queue'] as const) {
      const row = { ...base, [key]: s };
      expect(rawRowLine(row)).toBe(`${JSON.stringify(row)}\n`);
    }
    const row = { ...base, drift_fields: [s, 'a'] };
    expect(rawRowLine(row)).toBe(`${JSON.stringify(row)}\n`);
  });

  it('writes receive counts the way JSON.stringify does', () => {
    for (const n of [0, 1, 1000, -0, 2 ** 53 + 2, Number.NaN]) {
      const row = { ...base, receive_count: n };
      expect(rawRowLine(row)).toBe(`${JSON.stringify(row)}\n`);
    }
  });
});

describe('rawRowLine timestamps', () => {
  it('writes event_time and ingested_at as epoch-microsecond JSON numbers (Firehose Iceberg rule)', () => {
    const line = rawRowLine(base);
    const back = JSON.parse(line) as RawRow;
    expect(back.event_time).toBe(1795677342123000);
    expect(back.ingested_at).toBe(1795680000000000);
    expect(line).toContain('"event_time":1795677342123000,"ingested_at":1795680000000000,');
  });

  it('falls back to JSON.stringify for timestamps that are not safe integers', () => {
    for (const t of [-1, 0, 2 ** 53 + 2, 1.5, Number.NaN]) {
      const row = { ...base, event_time: t, ingested_at: t };
      expect(rawRowLine(row)).toBe(`${JSON.stringify(row)}\n`);
    }
  });
});
