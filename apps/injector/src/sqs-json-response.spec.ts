import { batchResult, checkSendMessage, md5Hex, parseAnswer, SqsServiceError } from './sqs-json-response';
import { errorCode, isTransientError } from './sqs-transport';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('parseAnswer', () => {
  it('returns the JSON of a 2xx answer', () => {
    expect(parseAnswer(answer(200, { QueueUrl: 'u' }))).toEqual({ QueueUrl: 'u' });
    expect(parseAnswer(answer(200, ''))).toEqual({});
  });

  it('throws an awsJson1_0 error as the SDK names it: the shape after #, the awsQuery code, the status', () => {
    const err = (() => {
      try {
        parseAnswer(
          answer(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' }, { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' }),
        );
      } catch (e) {
        return e as SqsServiceError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(SqsServiceError);
    expect(err).toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
      Code: 'AWS.SimpleQueueService.NonExistentQueue',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(isTransientError(err)).toBe(false);
    expect(errorCode(err)).toBe('QueueDoesNotExist');
  });

  it('makes throttling and 5xx answers transient, whatever their body', () => {
    const thrown = (res: ReturnType<typeof answer>) => {
      try {
        parseAnswer(res);
      } catch (e) {
        return e;
      }
      throw new Error('no error');
    };
    expect(isTransientError(thrown(answer(400, { __type: 'com.amazonaws.sqs#RequestThrottled', message: 'slow down' })))).toBe(true);
    const bad = thrown(answer(502, '<html>bad gateway</html>')) as SqsServiceError;
    expect(bad).toMatchObject({ name: 'UnknownError', $fault: 'server', $metadata: { httpStatusCode: 502 } });
    expect(isTransientError(bad)).toBe(true);
  });

  it('refuses a 2xx answer that is not JSON', () => {
    expect(() => parseAnswer(answer(200, 'not json'))).toThrow(/unreadable answer/);
  });
});

describe('batchResult', () => {
  const sent = new Map([
    ['m1', 'first'],
    ['m2', 'second'],
    ['m3', 'third'],
  ]);

  it('maps accepted ids and per-entry failures', () => {
    const result = batchResult(
      {
        Successful: [
          { Id: 'm1', MessageId: 'a', MD5OfMessageBody: md5Hex('first') },
          { Id: 'm3', MessageId: 'c', MD5OfMessageBody: md5Hex('third') },
        ],
        Failed: [{ Id: 'm2', SenderFault: false, Code: 'InternalError', Message: 'try again' }],
      },
      sent,
    );
    expect(result).toEqual({ successful: ['m1', 'm3'], failed: [{ id: 'm2', senderFault: false, code: 'InternalError', message: 'try again' }] });
  });

  it('throws, as the SDK does, when an accepted body comes back with another MD5', () => {
    expect(() => batchResult({ Successful: [{ Id: 'm1', MessageId: 'a', MD5OfMessageBody: md5Hex('something else') }], Failed: [] }, sent)).toThrow('Invalid MD5 checksum on messages: a');
  });

  it('checks SendMessage the same way', () => {
    expect(() => checkSendMessage({ MessageId: 'x', MD5OfMessageBody: md5Hex('body') }, 'body')).not.toThrow();
    expect(() => checkSendMessage({ MessageId: 'x', MD5OfMessageBody: md5Hex('other') }, 'body')).toThrow('InvalidChecksumError');
  });

  it('hashes UTF-8 bytes, as SQS does', () => {
    expect(md5Hex('é')).toBe('66ddcd97cfdeabb2f6fb8a999b4bc76f'); // MD5 of the bytes c3 a9
  });
});
