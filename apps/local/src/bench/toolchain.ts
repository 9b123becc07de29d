import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ToolFigures {
  seconds: number;
  peakRssMb: number;
  /** How the peak RSS was taken. */
  rssSource: 'time -v' | 'resourceUsage';
}

export interface TimeV {
  seconds: number;
  maxRssKb: number;
}

/** `Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50` -> 62.5 */
export function parseElapsed(text: string): number {
  const parts = text.trim().split(':').map(Number);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/** The two figures we need from GNU time's `-v` report. */
export function parseTimeV(stderr: string): TimeV | undefined {
  const rss = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr);
  const elapsed = /Elapsed \(wall clock\) time \([^)]*\):\s*([\d:.]+)/.exec(stderr);
  if (!rss || !elapsed) return undefined;
  return { seconds: parseElapsed(elapsed[1] ?? ''), maxRssKb: Number(rss[1]) };
}

const GNU_TIME = '/usr/bin/time';
const mb = (kb: number) => Math.round(kb / 1024);

/**
 * Runs a node script under GNU time when present (it reports the process's peak RSS); otherwise the child reports
 * its own `process.resourceUsage().maxRSS` on exit.
 */
export function measureNodeScript(script: string, args: string[], cwd: string): ToolFigures & { exitCode: number | null } {
  if (fs.existsSync(GNU_TIME)) {
    const r = spawnSync(GNU_TIME, ['-v', process.execPath, script, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const t = parseTimeV(r.stderr ?? '');
    if (t) return { seconds: Math.round(t.seconds * 100) / 100, peakRssMb: mb(t.maxRssKb), rssSource: 'time -v', exitCode: r.status };
  }
  const wrapper =
    `process.on('exit',()=>process.stderr.write('\\n${RSS_MARK}'+process.resourceUsage().maxRSS+'\\n'));` +
    `process.argv=[process.argv[0],${JSON.stringify(script)},...process.argv.slice(1)];require(${JSON.stringify(script)})`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', wrapper, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  const rssKb = Number(new RegExp(`${RSS_MARK}(\\d+)`).exec(r.stderr ?? '')?.[1] ?? 0);
  return { seconds: Math.round(seconds * 100) / 100, peakRssMb: mb(rssKb), rssSource: 'resourceUsage', exitCode: r.status };
}

const RSS_MARK = 'LEAN_OPS_MAXRSS_KB=';

/** `tsc -p apps/pipeline/tsconfig.json --noEmit`: the type-check of the infrastructure code and everything it imports. */
export function measureTypecheck(repoRoot: string): ToolFigures & { ok: boolean } {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = measureNodeScript(tsc, ['-p', 'apps/pipeline/tsconfig.json', '--noEmit'], repoRoot);
  return { seconds: r.seconds, peakRssMb: r.peakRssMb, rssSource: r.rssSource, ok: r.exitCode === 0 };
}

export interface SynthFigures {
  seconds: number;
  stacks: string[];
  /** The bench process's peak RSS right after the synth (synth runs first, so this is its peak). */
  peakRssMb: number;
}

/** In-process synth of every environment into a temp outdir (the real cdktf.out is left alone). */
export async function measureSynth(repoRoot: string): Promise<SynthFigures> {
  const { synthesize } = await import('@lean-ops/pipeline/src/app');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-synth-'));
  try {
    const t0 = performance.now();
    const stacks = await synthesize({
      outdir,
      environmentsDir: path.join(repoRoot, 'environments'),
      bundleRoot: path.join(repoRoot, 'packages', 'handlers', 'dist'),
    });
    const seconds = (performance.now() - t0) / 1000;
    return { seconds: Math.round(seconds * 100) / 100, stacks, peakRssMb: mb(process.resourceUsage().maxRSS) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
