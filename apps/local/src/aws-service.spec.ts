import { jsonBody, type AwsRequest } from './aws-service';

const request = (body: string): AwsRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.from(body) });

describe('jsonBody', () => {
  it('parses a body once, whoever reads it', () => {
    const req = request('{"QueueUrl":"http://h/000000000000/q"}');
    const first = jsonBody(req);
    expect(first).toEqual({ QueueUrl: 'http://h/000000000000/q' });
    expect(jsonBody(req)).toBe(first);
  });

  it('reads an empty body (and JSON null) as no parameters and a malformed one as none at all', () => {
    expect(jsonBody(request(''))).toEqual({});
    expect(jsonBody(request('null'))).toEqual({});
    expect(jsonBody(request('{"QueueUrl":'))).toBeUndefined();
  });
});
