import { createProgress } from './progress';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { stream: { isTTY, write: (s: string) => out.push(s) }, out };
}

describe('createProgress', () => {
  it('prints one line now and then when stderr is not a terminal', () => {
    let t = 0;
    const { stream, out } = sink(false);
    const p = createProgress('inject x', stream, () => t);
    p.update(10, 100); // first update prints
    t = 500;
    p.update(20, 100); // too soon: skipped
    t = 2500;
    p.update(50, 100);
    t = 3000;
    p.update(100, 100); // the end always prints
    p.finish();
    expect(out).toEqual(['inject x: 10/100 (10%) 0 rec/s\n', 'inject x: 50/100 (50%) 20 rec/s\n', 'inject x: 100/100 (100%) 33 rec/s\n']);
  });

  it('redraws a bar in place on a terminal and ends the line when finished', () => {
    let t = 0;
    const { stream, out } = sink(true);
    const p = createProgress('inject x', stream, () => t);
    t = 1000;
    p.update(50, 100);
    t = 2000;
    p.update(100, 100);
    p.finish();
    expect(out[0]).toBe(`\rinject x ${'█'.repeat(15)}${'░'.repeat(15)} 50/100 50% 50 rec/s\x1b[K`);
    expect(out[1]).toContain('█'.repeat(30));
    expect(out.every((s, i) => i === out.length - 1 || !s.includes('\n'))).toBe(true);
    expect(out[out.length - 1]).toBe('\n');
  });
});
