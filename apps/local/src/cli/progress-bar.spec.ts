import { bar, createProgressBar, progressLine } from './progress-bar';

const p = { sent: 50, settled: 25, queued: 20, dlq: 1, buffered: 4, committedRows: 100, elapsedMs: 2000 };

describe('progress bar', () => {
  it('fills in proportion and never overflows', () => {
    expect(bar(0, 10, 10)).toBe('░'.repeat(10));
    expect(bar(5, 10, 10)).toBe('█'.repeat(5) + '░'.repeat(5));
    expect(bar(20, 10, 10)).toBe('█'.repeat(10));
  });

  it('shows sent and settled of the total', () => {
    expect(progressLine(p, 100)).toContain('50/100');
    expect(progressLine(p, 100)).toContain('25/100');
    expect(progressLine(p, 100)).toContain('2.0s 50 rows/s');
  });

  it('redraws in place on a terminal and writes a line every 2 s otherwise', () => {
    let t = 0;
    const out: string[] = [];
    const piped = createProgressBar({ write: (s: string) => out.push(s), isTTY: false }, 100, () => t);
    piped.update(p);
    t = 1000;
    piped.update(p);
    t = 2500;
    piped.update(p);
    piped.finish();
    expect(out).toHaveLength(3);
    expect(out.every((l) => l.endsWith('\n') && !l.startsWith('\r'))).toBe(true);

    const tty: string[] = [];
    const term = createProgressBar({ write: (s: string) => tty.push(s), isTTY: true }, 100, () => t);
    term.update(p);
    term.finish();
    expect(tty[0]?.startsWith('\r')).toBe(true);
    expect(tty[tty.length - 1]).toBe('\n');
  });
});
