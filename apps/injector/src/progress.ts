/** Progress on stderr: a redrawn bar on a terminal, one line now and then when piped to a file or CI log. */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

const TTY_REDRAW_MS = 100;
const LINE_EVERY_MS = 2000;
const BAR_WIDTH = 30;

export function createProgress(label: string, stream: ProgressStream, now: () => number = () => performance.now()): Progress {
  const started = now();
  let lastDraw = -Infinity;
  let last = { done: 0, total: 0 };
  let drawn = false;

  const rate = (done: number) => {
    const seconds = (now() - started) / 1000;
    return seconds > 0 ? Math.round(done / seconds) : 0;
  };
  const pct = (done: number, total: number) => (total > 0 ? Math.floor((done * 100) / total) : 100);

  const draw = (done: number, total: number) => {
    if (stream.isTTY) {
      const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : BAR_WIDTH;
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      stream.write(`\r${label} ${bar} ${done}/${total} ${pct(done, total)}% ${rate(done)} rec/s\x1b[K`);
    } else {
      stream.write(`${label}: ${done}/${total} (${pct(done, total)}%) ${rate(done)} rec/s\n`);
    }
    drawn = true;
  };

  return {
    update(done, total) {
      last = { done, total };
      const t = now();
      if (t - lastDraw < (stream.isTTY ? TTY_REDRAW_MS : LINE_EVERY_MS) && done < total) return;
      lastDraw = t;
      draw(done, total);
    },
    finish() {
      if (!drawn || last.done < last.total) draw(last.done, last.total);
      if (stream.isTTY) stream.write('\n');
    },
  };
}
