import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FaultRegistry } from './fault-registry';

describe('FaultRegistry', () => {
  it('ignores bodies without a known fault', () => {
    const f = new FaultRegistry();
    f.register('a', 'not json "_fault"');
    f.register('b', JSON.stringify(['_fault']));
    f.register('c', JSON.stringify({ _fault: 'explode' }));
    f.register('d', JSON.stringify({ json_payload: { _fault: 'firehose_reject' } }));
    expect(['a', 'b', 'c', 'd'].map((id) => f.faultFor(id))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('keeps a persistent fault for every lookup and fires a once-fault once across both ids', () => {
    const f = new FaultRegistry();
    f.register('sqs-1', JSON.stringify({ message_id: 'p-1', _fault: 'firehose_reject' }));
    f.register('sqs-2', JSON.stringify({ message_id: 'p-2', _fault: 'firehose_throttle_once' }));
    expect(f.faultFor('p-1')).toBe('firehose_reject');
    expect(f.faultFor('sqs-1')).toBe('firehose_reject');
    expect(f.consumeOnce('sqs-2', 'firehose_throttle_once')).toBe(true);
    expect(f.consumeOnce('p-2', 'firehose_throttle_once')).toBe(false);
    expect(f.consumeOnce('p-1', 'firehose_throttle_once')).toBe(false);
  });

  it('fires a once-fault once when the same producer message is sent twice', () => {
    const f = new FaultRegistry();
    const body = JSON.stringify({ message_id: 'dup', _fault: 'lambda_crash_once' });
    f.register('sqs-a', body);
    f.register('sqs-b', body);
    expect(f.consumeOnce('sqs-a', 'lambda_crash_once')).toBe(true);
    expect(f.consumeOnce('sqs-b', 'lambda_crash_once')).toBe(false);
  });

  it('replays its journal, ignoring a torn last line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-'));
    const file = path.join(dir, 'faults.jsonl');
    const f = FaultRegistry.forDataDir(dir);
    f.register('s', JSON.stringify({ _fault: 'lambda_crash_once' }));
    f.register('t', JSON.stringify({ _fault: 'lambda_crash_once' }));
    expect(f.consumeOnce('s', 'lambda_crash_once')).toBe(true);
    f.close();
    fs.appendFileSync(file, '{"o":"use","id":"t"');
    const g = new FaultRegistry(file);
    expect(g.consumeOnce('s', 'lambda_crash_once')).toBe(false);
    expect(g.consumeOnce('t', 'lambda_crash_once')).toBe(true);
    g.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
