import { functionArn, sqsCall } from './request-calls';
import { dynamoCalls, s3Call } from './storage-calls';
import { accessKeyIdOf, functionAccessKeyId } from './credentials';

const at = { region: 'us-east-1', accountId: '000000000000' };

describe('what each request asks IAM for', () => {
  it('SQS: batch operations are authorized as their single action, with the queue key actions of a producer or consumer', () => {
    expect(sqsCall('SendMessageBatch', { QueueUrl: 'http://127.0.0.1:1/000000000000/orders' }, at)).toMatchObject({
      action: 'sqs:SendMessage',
      resource: 'arn:aws:sqs:us-east-1:000000000000:orders',
      kms: { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], viaService: 'sqs.us-east-1.amazonaws.com' },
    });
    expect(sqsCall('ReceiveMessage', { QueueUrl: 'http://h/000000000000/orders' }, at).kms?.actions).toEqual(['kms:Decrypt']);
    expect(sqsCall('DeleteMessageBatch', { QueueUrl: 'http://h/000000000000/orders' }, at)).toMatchObject({ action: 'sqs:DeleteMessage' });
    expect(sqsCall('GetQueueUrl', { QueueName: 'dlq' }, at).resource).toBe('arn:aws:sqs:us-east-1:000000000000:dlq');
    expect(sqsCall('ListQueues', {}, at).resource).toBe('*');
  });

  it('Lambda: a function named by name, partial or qualified ARN is the unqualified function ARN', () => {
    expect(functionArn('lo-breaker', at)).toBe('arn:aws:lambda:us-east-1:000000000000:function:lo-breaker');
    expect(functionArn('arn:aws:lambda:us-east-1:000000000000:function:lo-breaker:$LATEST', at)).toBe('arn:aws:lambda:us-east-1:000000000000:function:lo-breaker');
    expect(functionArn('lo-breaker:live', at)).toBe('arn:aws:lambda:us-east-1:000000000000:function:lo-breaker');
  });

  it('S3: object and bucket actions as the S3 permission table names them', () => {
    const q = new URLSearchParams();
    expect(s3Call('PUT', '/archive/quarantine/a%20b.json', q, at)).toMatchObject({
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::archive/quarantine/a b.json',
      kms: { actions: ['kms:GenerateDataKey'] },
    });
    expect(s3Call('HEAD', '/archive/k', q, at)).toMatchObject({ action: 's3:GetObject', kms: { actions: ['kms:Decrypt'] } });
    expect(s3Call('GET', '/archive', q, at)).toMatchObject({ action: 's3:ListBucket', resource: 'arn:aws:s3:::archive' });
    expect(s3Call('DELETE', '/archive/k', new URLSearchParams('uploadId=1'), at)).toMatchObject({ action: 's3:AbortMultipartUpload' });
  });

  it('DynamoDB: one call per table a batch or transaction names, each with its item action', () => {
    const batch = dynamoCalls('DynamoDB_20120810.BatchWriteItem', Buffer.from(JSON.stringify({ RequestItems: { a: [], b: [] } })), at)!;
    expect(batch.map((c) => [c.action, c.resource])).toEqual([
      ['dynamodb:BatchWriteItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/a'],
      ['dynamodb:BatchWriteItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/b'],
    ]);
    const tx = dynamoCalls('DynamoDB_20120810.TransactWriteItems', Buffer.from(JSON.stringify({ TransactItems: [{ Update: { TableName: 'a' } }, { ConditionCheck: { TableName: 'b' } }] })), at)!;
    expect(tx.map((c) => c.action)).toEqual(['dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
  });

  it('credentials: a function key id is stable per function and role; the SigV4 scope gives it back', () => {
    const id = functionAccessKeyId('lo-proc', 'arn:aws:iam::000000000000:role/r');
    expect(id).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(functionAccessKeyId('lo-proc', 'arn:aws:iam::000000000000:role/r')).toBe(id);
    expect(functionAccessKeyId('lo-dlq', 'arn:aws:iam::000000000000:role/r')).not.toBe(id);
    expect(accessKeyIdOf({ authorization: `AWS4-HMAC-SHA256 Credential=${id}/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x` })).toBe(id);
    expect(accessKeyIdOf({}, new URLSearchParams(`X-Amz-Credential=${id}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request`))).toBe(id);
    expect(accessKeyIdOf({})).toBeUndefined();
  });
});
