import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { UnsupportedTableError } from './errors';
import type { FileIO } from './file-io';

/** `s3://bucket/key` -> bucket and key (Iceberg's S3URI; the `s3a`/`s3n` schemes Hadoop writes are the same store). */
export function parseS3Location(location: string): { Bucket: string; Key: string } {
  const m = /^s3[an]?:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!m) throw new UnsupportedTableError(`not an S3 location: ${location}`);
  return { Bucket: m[1]!, Key: m[2]! };
}

/** Table files in S3 through the given client (its credentials are the writer's role, as Iceberg's S3FileIO uses them). */
export function s3FileIO(s3: S3Client): FileIO {
  return {
    async read(location) {
      const r = await s3.send(new GetObjectCommand(parseS3Location(location)));
      if (!r.Body) throw new UnsupportedTableError(`${location}: empty response body`);
      return r.Body.transformToByteArray();
    },
    async write(location, bytes) {
      const contentType = location.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      await s3.send(new PutObjectCommand({ ...parseS3Location(location), Body: bytes, ContentType: contentType }));
    },
    async delete(location) {
      await s3.send(new DeleteObjectCommand(parseS3Location(location)));
    },
  };
}
