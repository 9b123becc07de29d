import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SentLedger } from './sent-ledger';

describe('SentLedger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts messages, identities and re-sends, and replays them after a restart', () => {
    const a = SentLedger.forDataDir(dir);
    a.record('orders', 's1', '{"message_id":"o-1"}', 1000);
    a.record('orders', 's2', '{"message_id":"o-1"}', 2000);
    a.record('payments', 's3', 'not json', 1500);
    a.close();
    const b = SentLedger.forDataDir(dir);
    expect(b.sent).toBe(3);
    expect(b.sentByTopic()).toEqual({ orders: 2, payments: 1 });
    expect(b.identities().get('o-1')).toEqual({ topic: 'orders', count: 2, sqsMessageIds: ['s1', 's2'], lastAt: 2000 });
    expect(b.identities().get('s3')).toEqual({ topic: 'payments', count: 1, sqsMessageIds: ['s3'], lastAt: 1500 });
    expect([b.firstAt, b.lastAt, b.firstAtThisRun]).toEqual([1000, 2000, undefined]);
    b.record('orders', 's9', '{"message_id":"o-9"}', 5000);
    expect(b.firstAtThisRun).toBe(5000);
    expect([b.sent, b.sentThisRun]).toEqual([4, 1]);
    b.close();
  });

  it('ignores a torn last line', () => {
    const a = SentLedger.forDataDir(dir);
    a.record('orders', 's1', '{"message_id":"o-1"}', 1000);
    a.close();
    const file = path.join(dir, 'sent-ledger.tsv');
    appendFileSync(file, '2000\torders\ts2');
    const b = SentLedger.forDataDir(dir);
    expect(b.sent).toBe(1);
    b.record('orders', 's3', '{"message_id":"o-3"}', 3000);
    b.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    const c = SentLedger.forDataDir(dir);
    expect([...c.identities().keys()]).toEqual(['o-1', 'o-3']);
    c.close();
  });
});
