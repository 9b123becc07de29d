import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DropCounter } from './drop-counter';

const line = (reason: string, message = 'DROPPING') => JSON.stringify({ level: 'WARN', message, topic: 'orders', reason });

describe('DropCounter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'drops-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts DROPPING lines per reason and nothing else', () => {
    const c = DropCounter.forDataDir(dir);
    c.ingest(line('MALFORMED_JSON'));
    c.ingest(`2026-11-26T08:00:00Z\tabc\tWARN\t${line('MALFORMED_JSON')}`);
    c.ingest(line('RECORD_TOO_LARGE'));
    c.ingest(line('THROTTLED', 'RETRYING'));
    c.ingest('{"note":"DROPPING" but not json');
    expect(c.byReason()).toEqual({ MALFORMED_JSON: 2, RECORD_TOO_LARGE: 1 });
    c.close();
  });

  it('keeps the counts across a restart and drops a torn last line', () => {
    const a = DropCounter.forDataDir(dir);
    a.ingest(line('MALFORMED_JSON'));
    a.close();
    appendFileSync(path.join(dir, 'dropping.log'), 'MALFOR');
    const b = DropCounter.forDataDir(dir);
    b.ingest(line('EMPTY_BODY'));
    b.close();
    expect(DropCounter.forDataDir(dir).byReason()).toEqual({ MALFORMED_JSON: 1, EMPTY_BODY: 1 });
  });
});
