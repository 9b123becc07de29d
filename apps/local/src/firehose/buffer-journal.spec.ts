import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferJournal } from './buffer-journal';

describe('BufferJournal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lo-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const recs = (...s: string[]) => s.map((x) => Buffer.from(x));

  it('replays acknowledged records that were neither committed nor written to the error output', () => {
    let { journal } = BufferJournal.open(dir);
    journal.append(10, recs('a', 'b', 'c'));
    journal.append(20, recs('d'));
    const intent = journal.beginCommit([0, 1], 0);
    journal.confirm(intent.id);
    journal.errorsWritten([3]);
    journal.close();
    const reopened = BufferJournal.open(dir);
    expect(reopened.replay.pending.map((r) => [r.seq, r.arrival, r.data.toString()])).toEqual([[2, 10, 'c']]);
    expect(reopened.replay.openIntents).toEqual([]);
    journal = reopened.journal;
    expect(journal.append(30, recs('e'))[0]?.seq).toBe(4);
    journal.close();
  });

  it('returns an unconfirmed commit as open, still pending, and drops a torn last line', () => {
    const { journal } = BufferJournal.open(dir);
    journal.append(10, recs('a', 'b'));
    journal.beginCommit([0, 1], 3);
    journal.close();
    appendFileSync(join(dir, 'journal.log'), '{"s":2,"t":11,"d":["ZQ=');
    const { replay, journal: j2 } = BufferJournal.open(dir);
    expect(replay.openIntents).toEqual([{ id: 1, seqs: [[0, 1]], snapshotsBefore: 3, rows: 2 }]);
    expect(replay.pending.map((r) => r.seq)).toEqual([0, 1]);
    j2.confirm(1);
    j2.close();
    expect(BufferJournal.open(dir).replay.pending).toEqual([]);
  });

  it('keeps sequence numbers increasing after truncation', () => {
    const { journal } = BufferJournal.open(dir);
    journal.append(1, recs('a', 'b'));
    journal.errorsWritten([0, 1]);
    journal.truncateIfIdle(0);
    journal.close();
    const again = BufferJournal.open(dir);
    expect(again.replay.pending).toEqual([]);
    expect(again.journal.append(2, recs('c'))[0]?.seq).toBe(2);
    again.journal.close();
  });
});
