/**
 * JSON lines on stdout. process.stdout.write, not console.log: the Lambda runtime prefixes console output
 * with a timestamp and request id, which would stop CloudWatch from reading EMF and JSON fields.
 */
export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** Redirects output (tests capture lines). Returns the previous sink. */
export function setLogSink(next: LogSink): LogSink {
  const prev = sink;
  sink = next;
  return prev;
}

export function writeLine(line: string): void {
  sink(line);
}

export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  writeLine(JSON.stringify({ level, message, timestamp: new Date().toISOString(), service: process.env.AWS_LAMBDA_FUNCTION_NAME, ...fields }));
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => log('DEBUG', m, f),
  info: (m: string, f?: Record<string, unknown>) => log('INFO', m, f),
  warn: (m: string, f?: Record<string, unknown>) => log('WARN', m, f),
  error: (m: string, f?: Record<string, unknown>) => log('ERROR', m, f),
};
