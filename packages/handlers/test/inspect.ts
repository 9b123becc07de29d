import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CHECKPOINTS, ERRORS } from '@lean-ops/contracts';

/** Read-side helpers for assertions (own clients, so tests never share the handlers' cached ones). */
export function inspector(s3Url: string, ddbUrl: string) {
  const s3 = new S3Client({ endpoint: s3Url, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const ddb = new DynamoDBClient({ endpoint: ddbUrl });
  const plain = (item: Record<string, AttributeValue> | undefined) => (item ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? (v.N !== undefined ? Number(v.N) : v)])) : undefined);
  return {
    async object(bucket: string, key: string): Promise<Record<string, unknown> | undefined> {
      try {
        const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return JSON.parse(await r.Body!.transformToString()) as Record<string, unknown>;
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
    /** Unpaged listing (tests keep well under 1,000 keys). */
    async keys(bucket: string, prefix: string): Promise<string[]> {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (r.Contents ?? []).map((c) => c.Key!).sort();
    },
    async errorItem(table: string, topic: string, messageId: string) {
      const r = await ddb.send(new GetItemCommand({ TableName: table, Key: { [ERRORS.partitionKey]: { S: topic }, [ERRORS.sortKey]: { S: messageId } }, ConsistentRead: true }));
      return plain(r.Item);
    },
    async checkpoint(table: string, topic: string, window: string) {
      const r = await ddb.send(new GetItemCommand({ TableName: table, Key: { [CHECKPOINTS.partitionKey]: { S: topic }, [CHECKPOINTS.sortKey]: { S: window } }, ConsistentRead: true }));
      return plain(r.Item);
    },
    destroy() {
      s3.destroy();
      ddb.destroy();
    },
  };
}

/** Captures the handlers' JSON log and EMF lines. */
export function parseLines(lines: string[]): Array<Record<string, unknown>> {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}
