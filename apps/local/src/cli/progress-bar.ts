import type { Progress } from '../stack/settle-progress';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 24;
const TTY_REDRAW_MS = 100;
const LINE_EVERY_MS = 2000;

export function bar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.min(width, Math.round((Math.min(done, total) / total) * width)) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** One progress line: what was sent of the scenario and what has settled of what was sent. */
export function progressLine(p: Progress, total: number): string {
  const seconds = (p.elapsedMs / 1000).toFixed(1);
  const rate = p.elapsedMs > 0 ? Math.round((p.committedRows * 1000) / p.elapsedMs) : 0;
  return (
    `sent ${bar(p.sent, total)} ${fmt(p.sent)}/${fmt(total)}  settled ${bar(p.settled, total)} ${fmt(p.settled)}/${fmt(total)}` +
    `  queued ${fmt(p.queued)} dlq ${fmt(p.dlq)} buffered ${fmt(p.buffered)}  ${seconds}s ${fmt(rate)} rows/s`
  );
}

/** A redrawn bar on a terminal; a line every 2 s when stderr is a file or a CI log. */
export function createProgressBar(stream: ProgressStream, total: number, now: () => number = Date.now) {
  let last = -Infinity;
  let drawn = false;
  let latest: Progress | undefined;
  const draw = (p: Progress) => {
    stream.write(stream.isTTY ? `\r${progressLine(p, total)}\x1b[K` : `${progressLine(p, total)}\n`);
    drawn = true;
  };
  return {
    update(p: Progress) {
      latest = p;
      const t = now();
      if (t - last < (stream.isTTY ? TTY_REDRAW_MS : LINE_EVERY_MS)) return;
      last = t;
      draw(p);
    },
    finish() {
      if (latest) draw(latest);
      if (drawn && stream.isTTY) stream.write('\n');
    },
  };
}
