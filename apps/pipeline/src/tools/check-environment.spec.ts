import { formatDiagnostic, outputLines, reportLines, type EnvironmentCheck } from './check-environment';

const base: EnvironmentCheck = { environment: 'dev', ok: true, errors: [], warnings: [], initSkipped: false, cached: false, ms: {} };

describe('validate output', () => {
  it('prints the one-line summary of a good environment', () => {
    expect(reportLines({ ...base, counts: { add: 57, change: 0, replace: 0, destroy: 0 } })).toEqual(['dev: valid, plan 57 to add']);
    expect(reportLines({ ...base, cached: true, counts: { add: 57, change: 0, replace: 0, destroy: 0 } })).toEqual(['dev: valid, plan 57 to add (unchanged since the last check)']);
  });

  it('prints the failed stage and each terraform diagnostic under it', () => {
    const check: EnvironmentCheck = { ...base, ok: false, failedAt: 'validate', errors: ['error: Missing required argument [resource "aws_sqs_queue" "q"]: The argument "name" is required.'] };
    expect(reportLines(check)).toEqual(['dev: invalid', '  error: Missing required argument [resource "aws_sqs_queue" "q"]: The argument "name" is required.']);
    expect(reportLines({ ...check, failedAt: 'plan', errors: ['Error: Invalid index'] })[0]).toBe('dev: valid, plan failed');
  });

  it('formats a terraform validate -json diagnostic on one line', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        summary: 'Unsupported argument',
        detail: 'An argument named "bogus" is not\nexpected here.',
        range: { filename: 'cdk.tf.json', start: { line: 12 } },
        snippet: { context: 'resource "aws_sqs_queue" "messaging_q_ABC"' },
      }),
    ).toBe('error: Unsupported argument [resource "aws_sqs_queue" "messaging_q_ABC"]: An argument named "bogus" is not expected here.');
    expect(formatDiagnostic({ severity: 'warning', summary: 'Deprecated', range: { filename: 'cdk.tf.json', start: { line: 3 } } })).toBe('warning: Deprecated [cdk.tf.json:3]');
  });

  it('strips the box drawing from terraform human output', () => {
    expect(outputLines('╷\n│ Error: Invalid provider configuration\n│ \n│ detail here\n╵\n')).toEqual(['Error: Invalid provider configuration', 'detail here']);
  });
});
