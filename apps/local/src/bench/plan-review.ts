import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface PlanReviewFigures {
  /** Wall time of `npm run plan:review -- --env dev --base HEAD`, cold: no cached base state, fresh work dirs. */
  seconds: number;
  ok: boolean;
  /** The mode line of the Markdown it wrote. */
  mode: string;
}

/** One `--base` review of dev as CI runs it: synth, base worktree and state, head plan (real terraform). */
export function measurePlanReview(repoRoot: string, ref = 'HEAD'): PlanReviewFigures {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-ops-bench-plan-'));
  const out = path.join(scratch, 'plan.md');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/pipeline/src/tools/plan-review.ts', '--env', 'dev', '--base', ref, '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
      // A fresh work dir and synth output: nothing from an earlier run is reused, and cdktf.out is left alone.
      env: { ...process.env, LEAN_OPS_WORK_DIR: path.join(scratch, 'work'), CDKTF_OUTDIR: path.join(scratch, 'cdktf.out') },
    });
    const seconds = Math.round(((performance.now() - t0) / 1000) * 100) / 100;
    const mode = fs.existsSync(out) ? (/^Mode: \*\*([^*]+)\*\*/m.exec(fs.readFileSync(out, 'utf8'))?.[1] ?? '') : '';
    return { seconds, ok: r.status === 0, mode };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
