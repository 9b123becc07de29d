import { parseCliArgs } from './args';

describe('parseCliArgs', () => {
  it('reads run and its flags', () => {
    expect(parseCliArgs(['run', '--data-dir', '/d', '--config', 'x.json', '--report', 'r.json'])).toEqual({
      ok: true,
      cmd: { command: 'run', dataDir: '/d', config: 'x.json', report: 'r.json' },
    });
    expect(parseCliArgs(['run'])).toEqual({ ok: true, cmd: { command: 'run' } });
  });

  it('reads serve with a port', () => {
    expect(parseCliArgs(['serve', '--port', '4566'])).toEqual({ ok: true, cmd: { command: 'serve', port: 4566 } });
    expect(parseCliArgs(['serve', '--port', '0'])).toEqual({ ok: true, cmd: { command: 'serve', port: 0 } });
  });

  it('refuses unknown commands, unknown flags and bad ports', () => {
    expect(parseCliArgs(['start']).ok).toBe(false);
    expect(parseCliArgs(['run', '--port', '1']).ok).toBe(false);
    expect(parseCliArgs(['serve', '--config', 'x']).ok).toBe(false);
    expect(parseCliArgs(['serve', '--port', 'abc'])).toEqual({ ok: false, error: '--port must be an integer 0..65535, got "abc"' });
    expect(parseCliArgs(['serve', '--port', '70000']).ok).toBe(false);
  });

  it('shows help', () => {
    expect(parseCliArgs([])).toEqual({ ok: true, cmd: { command: 'help' } });
    expect(parseCliArgs(['run', '-h'])).toEqual({ ok: true, cmd: { command: 'help' } });
  });
});
