import { inRange, parseDateArg, parseRedriveArgs } from './args';

describe('redrive arguments', () => {
  it('defaults to replaying the archive of one topic', () => {
    expect(parseRedriveArgs(['--topic', 'orders'])).toEqual({ topic: 'orders', all: false, source: 'archive', dryRun: false, keepDlqProcessor: false });
  });

  it('reads every flag, in both spellings', () => {
    const a = parseRedriveArgs([
      '--topic=orders',
      '--source',
      'dlq',
      '--since',
      '2026-11-20',
      '--until=2026-11-26',
      '--dry-run',
      '--endpoint',
      'http://127.0.0.1:4566',
      '--env-file',
      'environments/dev.tfvars',
    ]);
    expect(a).toMatchObject({ topic: 'orders', source: 'dlq', dryRun: true, endpoint: 'http://127.0.0.1:4566', envFile: 'environments/dev.tfvars' });
    expect(a.since!.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(a.until!.toISOString()).toBe('2026-11-26T23:59:59.999Z');
  });

  it('moves everything with --all, from the DLQ only', () => {
    expect(parseRedriveArgs(['--all'])).toMatchObject({ all: true, source: 'dlq', keepDlqProcessor: false });
    expect(parseRedriveArgs(['--all', '--keep-dlq-processor'])).toMatchObject({ keepDlqProcessor: true });
    expect(() => parseRedriveArgs(['--all', '--source', 'archive'])).toThrow('--all moves DLQ messages');
    expect(() => parseRedriveArgs(['--all', '--topic', 'orders'])).toThrow('exclude each other');
  });

  it('says what is wrong', () => {
    expect(() => parseRedriveArgs([])).toThrow('--topic');
    expect(() => parseRedriveArgs(['--topic'])).toThrow('--topic needs a value');
    expect(() => parseRedriveArgs(['--topic', 'o', '--source', 'both'])).toThrow('must be dlq or archive');
    expect(() => parseRedriveArgs(['--topic', 'o', '--since', 'yesterday'])).toThrow('not a date');
    expect(() => parseRedriveArgs(['--topic', 'o', '--since', '2026-11-27', '--until', '2026-11-26'])).toThrow('is after --until');
    expect(() => parseRedriveArgs(['--topic', 'o', '--force'])).toThrow('unknown argument');
  });

  it('keeps a date-time as given and compares inclusively', () => {
    const since = parseDateArg('--since', '2026-11-26T08:00:00Z', 'start');
    const until = parseDateArg('--until', '2026-11-26T09:00:00Z', 'end');
    expect(inRange(since.getTime(), since, until)).toBe(true);
    expect(inRange(until.getTime(), since, until)).toBe(true);
    expect(inRange(until.getTime() + 1, since, until)).toBe(false);
    expect(inRange(0)).toBe(true);
  });
});
