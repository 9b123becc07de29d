import { parseFaultRequest } from './fault-request';

describe('parseFaultRequest', () => {
  it('accepts outages and Firehose chaos', () => {
    expect(parseFaultRequest('{"s3":"down","dynamodb":"up","firehose":{"perRecordFailureRate":0.2,"throttleForMs":500}}')).toEqual({
      ok: true,
      value: { s3: 'down', dynamodb: 'up', firehose: { perRecordFailureRate: 0.2, throttleForMs: 500 } },
    });
    expect(parseFaultRequest('')).toEqual({ ok: true, value: {} });
  });

  it.each([
    ['not JSON', '{', 'body must be JSON'],
    ['an array', '[]', 'body must be a JSON object'],
    ['a bad state', '{"s3":"off"}', 's3 must be "down" or "up"'],
    ['a rate above 1', '{"firehose":{"perRecordFailureRate":2}}', 'firehose.perRecordFailureRate must be a number in 0..1'],
    ['an unknown key', '{"kinesis":"down"}', 'unknown key kinesis (expected firehose, s3, dynamodb)'],
    ['an unknown firehose key', '{"firehose":{"rate":1}}', 'unknown key firehose.rate'],
  ])('refuses %s', (_, body, error) => {
    expect(parseFaultRequest(body)).toEqual({ ok: false, error });
  });
});
