import { bisect } from './bisect';

class Rejected extends Error {}

describe('bisect', () => {
  const run = async (records: number[], poison: Set<number>) => {
    const calls: number[][] = [];
    const out = await bisect(
      records,
      async (batch) => {
        calls.push([...batch]);
        if (batch.some((r) => poison.has(r))) throw new Rejected('refused');
        return batch.map((r) => `ok:${r}`);
      },
      (err) => err instanceof Rejected,
      (r) => `poison:${r}`,
    );
    return { out, calls };
  };

  it('sends once when nothing is refused', async () => {
    const { out, calls } = await run([1, 2, 3], new Set());
    expect(out).toEqual(['ok:1', 'ok:2', 'ok:3']);
    expect(calls).toHaveLength(1);
  });

  it('isolates one poison record in 100 with about 2 log2(n) calls, in order', async () => {
    const records = Array.from({ length: 100 }, (_, i) => i);
    const { out, calls } = await run(records, new Set([37]));
    expect(out.filter((o) => o.startsWith('poison'))).toEqual(['poison:37']);
    expect(out).toHaveLength(100);
    expect(out[37]).toBe('poison:37');
    expect(out[36]).toBe('ok:36');
    expect(calls.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(100)) + 1);
  });

  it('isolates several poison records', async () => {
    const { out } = await run([0, 1, 2, 3, 4, 5, 6], new Set([0, 6, 3]));
    expect(out).toEqual(['poison:0', 'ok:1', 'ok:2', 'poison:3', 'ok:4', 'ok:5', 'poison:6']);
  });

  it('rethrows errors that are not whole-call rejections', async () => {
    await expect(
      bisect(
        [1, 2],
        async () => Promise.reject(new Error('network')),
        (err) => err instanceof Rejected,
        () => 'x',
      ),
    ).rejects.toThrow('network');
  });

  it('does nothing for an empty list', async () => {
    const send = jest.fn();
    expect(
      await bisect(
        [],
        send,
        () => true,
        () => 'x',
      ),
    ).toEqual([]);
    expect(send).not.toHaveBeenCalled();
  });
});
