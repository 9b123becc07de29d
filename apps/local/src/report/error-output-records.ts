import type { Found } from './identity-check';

/**
 * The records of one Firehose error-output object (newline-delimited JSON, `rawData` base64), attributed to the
 * topic and message id of the RAW row each carried; a record that is not a RAW row counts under `unknown`.
 */
export function errorOutputFindings(text: string): Found[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): Found => {
      try {
        const rec = JSON.parse(line) as { rawData?: unknown };
        const row = JSON.parse(Buffer.from(String(rec.rawData ?? ''), 'base64').toString('utf8')) as { topic_name?: unknown; message_id?: unknown };
        return { topic: typeof row.topic_name === 'string' ? row.topic_name : 'unknown', id: typeof row.message_id === 'string' ? row.message_id : '' };
      } catch {
        return { topic: 'unknown', id: '' };
      }
    });
}
