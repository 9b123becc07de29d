import { errorOutputFindings } from './error-output-records';

const line = (data: string) =>
  JSON.stringify({ attemptsMade: 3, arrivalTimestamp: 1, errorCode: 'Iceberg.InvalidColumn', errorMessage: 'x', attemptEndingTimestamp: 2, rawData: Buffer.from(data).toString('base64') });

describe('errorOutputFindings', () => {
  it('attributes each failed record to the topic and message id of the row it carried', () => {
    const text = [line(JSON.stringify({ topic_name: 'orders', message_id: 'o-1', extra: 1 })), line('{"topic_name":"payments","message_id":"p-9"}'), ''].join('\n');
    expect(errorOutputFindings(text)).toEqual([
      { topic: 'orders', id: 'o-1' },
      { topic: 'payments', id: 'p-9' },
    ]);
  });

  it('keeps records it cannot read, under unknown', () => {
    expect(errorOutputFindings(`${line('not json')}\n{broken\n`)).toEqual([
      { topic: 'unknown', id: '' },
      { topic: 'unknown', id: '' },
    ]);
  });
});
