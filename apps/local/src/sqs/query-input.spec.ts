import { readQueryRequest } from './query-input';
import { queryResult, xmlText } from './query-output';

const form = (s: string) => [...new URLSearchParams(s)];

describe('SQS Query requests', () => {
  it('reads flattened lists, maps, message attributes and batch entries into the JSON shape', () => {
    const { action, input } = readQueryRequest(
      form(
        'Action=SendMessageBatch&Version=2012-11-05&QueueUrl=http%3A%2F%2Fh%2F0%2Fq' +
          '&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two&SendMessageBatchRequestEntry.2.DelaySeconds=5' +
          '&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one' +
          '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String' +
          '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v',
      ),
    );
    expect(action).toBe('SendMessageBatch');
    expect(input).toEqual({
      QueueUrl: 'http://h/0/q',
      Entries: [
        { Id: 'a', MessageBody: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
        { Id: 'b', MessageBody: 'two', DelaySeconds: '5' },
      ],
    });
  });

  it('reads queue attributes, tags, tag keys and attribute names', () => {
    expect(readQueryRequest(form('Action=CreateQueue&QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40&Tag.1.Key=team&Tag.1.Value=ops')).input).toEqual({
      QueueName: 'q',
      Attributes: { VisibilityTimeout: '40' },
      tags: { team: 'ops' },
    });
    expect(readQueryRequest(form('Action=TagQueue&Tag.1.Key=a&Tag.1.Value=b')).input).toEqual({ Tags: { a: 'b' } });
    expect(readQueryRequest(form('Action=UntagQueue&TagKey.1=a&TagKey.2=b')).input).toEqual({ TagKeys: ['a', 'b'] });
    expect(readQueryRequest(form('Action=ReceiveMessage&AttributeName.1=All&MessageAttributeName.1=k&MaxNumberOfMessages=10')).input).toEqual({
      AttributeNames: ['All'],
      MessageAttributeNames: ['k'],
      MaxNumberOfMessages: '10',
    });
  });
});

describe('SQS Query responses', () => {
  it('flattens lists and maps under their member names and escapes text for XML', () => {
    const res = queryResult(
      'ReceiveMessage',
      { Messages: [{ MessageId: 'm', Body: 'a\r\n<b>&', Attributes: { SentTimestamp: '1' }, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }] },
      'rid',
    );
    expect(res.body).toContain(
      '<ReceiveMessageResult><Message><MessageId>m</MessageId><Body>a&#xD;\n&lt;b&gt;&amp;</Body><Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>' +
        '<MessageAttribute><Name>k</Name><Value><DataType>String</DataType><StringValue>v</StringValue></Value></MessageAttribute></Message></ReceiveMessageResult>',
    );
    expect(queryResult('ReceiveMessage', {}, 'rid').body).toContain('<ReceiveMessageResult/>');
    expect(queryResult('DeleteMessage', {}, 'rid').body).not.toContain('Result');
    expect(queryResult('SendMessageBatch', { Successful: [{ Id: 'a' }], Failed: [{ Id: 'b', SenderFault: true }] }, 'r').body).toContain(
      '<SendMessageBatchResultEntry><Id>a</Id></SendMessageBatchResultEntry><BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault></BatchResultErrorEntry>',
    );
    expect(xmlText(`'"`)).toBe('&apos;&quot;');
  });
});
