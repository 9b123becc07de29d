import { errorRateExpression } from '@lean-ops/contracts';
import { evaluateMetricMath, idsOf, MetricMathError, parseMetricMath, parseMetricsInsights } from './metric-math';

describe('metric math', () => {
  const rate = parseMetricMath(errorRateExpression(5));

  it('evaluates the breaker expression the module synthesizes', () => {
    expect([...new Set(idsOf(rate))].sort()).toEqual(['failed', 'received']);
    expect(evaluateMetricMath(rate, { failed: 6, received: 10 })).toBe(60);
    expect(evaluateMetricMath(rate, { failed: 4, received: 4 })).toBe(0);
    expect(evaluateMetricMath(rate, { failed: 6, received: 0 })).toBe(0);
    expect(evaluateMetricMath(rate, { failed: undefined, received: 10 })).toBe(0);
    expect(evaluateMetricMath(rate, { failed: undefined, received: undefined })).toBeUndefined();
  });

  it('follows precedence, parentheses, unary minus and logical results of 1 or 0', () => {
    const v = (e: string, vals = {}) => evaluateMetricMath(parseMetricMath(e), vals);
    expect(v('1 + 2 * 3')).toBe(7);
    expect(v('(1 + 2) * 3')).toBe(9);
    expect(v('-2 + 5')).toBe(3);
    expect(v('a > 1 AND b < 1', { a: 2, b: 0 })).toBe(1);
    expect(v('a > 1 OR b > 1', { a: 0, b: 0 })).toBe(0);
    expect(v('IF(a >= 2, 10, 20)', { a: 2 })).toBe(10);
    expect(v('a / b', { a: 1, b: 0 })).toBeUndefined();
  });

  it('refuses what it cannot evaluate, naming it', () => {
    expect(() => parseMetricMath('RATE(m1)')).toThrow(MetricMathError);
    expect(() => parseMetricMath('RATE(m1)')).toThrow(/function RATE is not supported/);
    expect(() => parseMetricMath('a +')).toThrow(/unexpected end/);
    expect(() => parseMetricMath('a $ b')).toThrow(/unexpected/);
  });

  it('reads a plain Metrics Insights query', () => {
    expect(parseMetricsInsights('SELECT MAX(WaterBalanceGap) FROM "LeanOps"')).toEqual({ fn: 'MAX', metric: 'WaterBalanceGap', namespace: 'LeanOps' });
    expect(parseMetricsInsights('SELECT SUM(Errors) FROM AWS/Lambda')).toEqual({ fn: 'SUM', metric: 'Errors', namespace: 'AWS/Lambda' });
    expect(parseMetricsInsights('SELECT MAX(x) FROM "ns" WHERE a = 1')).toBeUndefined();
  });
});
