import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog, parseJsonLines } from './append-log';

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'append-log-')), 'sub', 'x.log');

describe('AppendLog', () => {
  it('appends lines, writes them on flush, and reads back only complete lines', () => {
    const file = tmpFile();
    const { log, lines } = AppendLog.open(file);
    expect(lines).toEqual([]);
    log.append('a');
    log.append('b');
    expect(log.dirty).toBe(true);
    expect(AppendLog.readLines(file)).toEqual([]);
    log.flush();
    log.write('c');
    expect(AppendLog.readLines(file)).toEqual(['a', 'b', 'c']);
    expect(log.lines).toBe(3);
    log.close();
  });

  it('cuts a torn last line off before appending, so it cannot glue itself to the next one', () => {
    const file = tmpFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'one\ntwo\nthr');
    const { log, lines } = AppendLog.open(file);
    expect(lines).toEqual(['one', 'two']);
    log.write('three');
    log.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('rewrites the whole file and keeps appending after it', () => {
    const file = tmpFile();
    const { log } = AppendLog.open(file);
    log.write('old-1');
    log.write('old-2');
    log.rewrite(['live']);
    log.write('next');
    log.close();
    expect(AppendLog.readLines(file)).toEqual(['live', 'next']);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it('remove drops the file and anything pending', () => {
    const file = tmpFile();
    const { log } = AppendLog.open(file);
    log.append('x');
    log.remove();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('parseJsonLines skips lines that do not parse', () => {
    expect(parseJsonLines<{ a: number }>(['{"a":1}', '{"a":', '{"a":2}'])).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
