import * as avro from 'avsc';

/**
 * Avro object container files in memory. The writer schema is handed to avsc as the JSON object (not a parsed
 * Type) so the header's `avro.schema` keeps Iceberg's `field-id`/`element-id` attributes, which avsc drops when
 * it re-exports a parsed Type. Blocks are uncompressed (codec `null`): manifests are small, and every Avro
 * reader supports it.
 */
export async function encodeAvroContainer(schema: Record<string, unknown>, records: readonly unknown[], metadata: Record<string, string>): Promise<Buffer> {
  const meta: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(metadata)) meta[k] = Buffer.from(v, 'utf8');
  const options = { codec: 'null', metadata: meta, writeHeader: 'always' } as unknown as Partial<avro.EncoderOptions>;
  const encoder = new avro.streams.BlockEncoder(schema as unknown as avro.Schema, options);
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    encoder.on('end', () => resolve());
    encoder.on('error', reject);
  });
  for (const record of records) encoder.write(record);
  encoder.end();
  await done;
  return Buffer.concat(chunks);
}

export interface AvroContainer<T> {
  /** The writer schema JSON from the header (`avro.schema`), attributes included. */
  schema: Record<string, unknown>;
  /** Header metadata other than `avro.*`, as UTF-8 strings. */
  metadata: Record<string, string>;
  records: T[];
}

/** Decodes a whole container file with its own writer schema. */
export async function decodeAvroContainer<T>(bytes: Buffer): Promise<AvroContainer<T>> {
  const decoder = new avro.streams.BlockDecoder();
  const records: T[] = [];
  let header: { meta: Record<string, Buffer> } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    decoder.on('metadata', (_type: unknown, _codec: unknown, h: { meta: Record<string, Buffer> }) => {
      header = h;
    });
    decoder.on('data', (record: T) => records.push(record));
    decoder.on('end', () => resolve());
    decoder.on('error', reject);
  });
  decoder.end(bytes);
  await done;
  if (!header) throw new Error('not an Avro container file');
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(header.meta)) if (!k.startsWith('avro.')) metadata[k] = v.toString('utf8');
  const schema = header.meta['avro.schema'];
  if (!schema) throw new Error('Avro container file without avro.schema');
  return { schema: JSON.parse(schema.toString('utf8')) as Record<string, unknown>, metadata, records };
}
