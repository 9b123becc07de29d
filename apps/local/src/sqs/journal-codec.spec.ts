import { decodeEntry, encodeEntry } from './journal-codec';
import type { JournalEntry } from './stored-message';

describe('journal codec', () => {
  it('writes the short-key line format and reads it back to the same entry', () => {
    const sent: JournalEntry = {
      kind: 'sent',
      message: {
        messageId: 'id-1',
        body: '{"a":1}',
        sentTimestamp: 10,
        senderId: 'S',
        enqueuedAt: 20,
        receiveCount: 2,
        firstReceiveTimestamp: 15,
        deadLetterQueueSourceArn: 'arn:aws:sqs:eu-west-1:000000000000:q',
        messageAttributes: { kind: { DataType: 'String', StringValue: 'x' } },
        systemAttributes: { AWSTraceHeader: 'Root=1' },
      },
    };
    const line = encodeEntry(sent);
    expect(JSON.parse(line)).toEqual({
      o: 's',
      m: {
        i: 'id-1',
        b: '{"a":1}',
        t: 10,
        s: 'S',
        e: 20,
        c: 2,
        f: 15,
        q: 'arn:aws:sqs:eu-west-1:000000000000:q',
        a: { kind: { DataType: 'String', StringValue: 'x' } },
        y: { AWSTraceHeader: 'Root=1' },
      },
    });
    expect(decodeEntry(JSON.parse(line))).toEqual(sent);
  });

  it('round-trips every kind of entry', () => {
    const entries: JournalEntry[] = [
      { kind: 'queue', attributes: { VisibilityTimeout: '30' }, created: 1, modified: 2, tags: { team: 'data' } },
      { kind: 'deleted', messageId: 'id-1' },
      { kind: 'received', messageId: 'id-2', receiveCount: 3, firstReceiveTimestamp: 4 },
      { kind: 'purged' },
    ];
    for (const e of entries) expect(decodeEntry(JSON.parse(encodeEntry(e)))).toEqual(e);
  });

  it('reads a queue record written without tags, and ignores a record of no known kind', () => {
    expect(decodeEntry({ o: 'q', attrs: {}, created: 1, modified: 1 })).toEqual({ kind: 'queue', attributes: {}, created: 1, modified: 1, tags: {} });
    expect(decodeEntry({ o: 'x' })).toBeUndefined();
    expect(decodeEntry(null)).toBeUndefined();
  });
});
