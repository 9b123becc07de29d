import { ERROR_RATE_METRICS, METRICS, errorRateExpression } from './metrics';

describe('error-rate alarm inputs', () => {
  it('reads first receives only, not every reception', () => {
    expect(ERROR_RATE_METRICS).toEqual({ failed: 'FirstAttemptFailed', received: 'FirstAttemptRecords' });
    expect(Object.values(ERROR_RATE_METRICS)).not.toContain(METRICS.failed);
    expect(Object.values(ERROR_RATE_METRICS)).not.toContain(METRICS.received);
  });
  it('renders the metric math with the minimum error count, over the ERROR_RATE_METRICS query ids', () => {
    expect(errorRateExpression(10)).toBe('IF(failed >= 10 AND received > 0, 100 * failed / received, 0)');
    for (const id of Object.keys(ERROR_RATE_METRICS)) expect(errorRateExpression(3)).toContain(`${id} `);
  });
});
