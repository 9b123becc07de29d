import { BAD_INPUTS } from '../../test/bad-inputs';
import { classifyError } from './classify-error';
import { prepareRecord } from './prepare-record';

const ctx = {
  topic: 'orders',
  sqsMessageId: 'sqs-1',
  receiveCount: 1,
  sourceQueue: 'lo-dev-orders',
  expectedFields: ['a'],
  ingestedAtMicros: 1795680000000000,
};

describe('bad input: every kind ends delivered or dropped with its reason, never a throw', () => {
  it('has at least 20 kinds', () => expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20));

  it.each(BAD_INPUTS.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const prepared = prepareRecord(c.body, ctx);
    if (c.expect === 'deliver') {
      expect(prepared).toMatchObject({ kind: 'deliver' });
      if (prepared.kind !== 'deliver') return;
      if (c.payloadText !== undefined) expect(prepared.row.json_payload).toBe(c.payloadText);
      if (c.drift !== undefined) expect(prepared.row.drift_fields).toEqual(c.drift);
      // The Firehose record is one JSON line whose payload round-trips to the same text.
      expect(prepared.data.endsWith('\n')).toBe(true);
      expect(JSON.parse(prepared.data).json_payload).toBe(prepared.row.json_payload);
    } else {
      expect(prepared).toMatchObject({ kind: 'drop', reason: c.expect });
      expect(classifyError(c.expect).disposition).toBe('DROP');
    }
  });

  it('leaves Object.prototype untouched after the pollution case', () => {
    const c = BAD_INPUTS.find((x) => x.name.startsWith('prototype-pollution'))!;
    prepareRecord(c.body, ctx);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('refuses raw invalid UTF-8 bytes', () => {
    const bytes = Buffer.concat([Buffer.from('{"json_payload":{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    expect(prepareRecord(bytes, ctx)).toMatchObject({ kind: 'drop', reason: 'INVALID_UTF8' });
  });

  it('keeps the producer id on a drop when the envelope is readable', () => {
    const c = BAD_INPUTS.find((x) => x.name === 'json_payload null')!;
    expect(prepareRecord(c.body, ctx)).toMatchObject({ kind: 'drop', messageId: 'm-1' });
    expect(prepareRecord('null', ctx)).toMatchObject({ kind: 'drop', messageId: 'sqs-1' });
  });
});
