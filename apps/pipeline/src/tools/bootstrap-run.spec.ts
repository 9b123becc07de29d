import { runSteps } from './bootstrap-run';
import type { BootstrapStep } from './bootstrap-steps';

/** Steps over an in-memory bucket: what a real S3 answers is covered by bootstrap.int.spec.ts. */
function memorySteps(state: Record<string, boolean>, names = ['bucket', 'versioning', 'encryption']): BootstrapStep[] {
  return names.map((name) => ({ name, check: async () => state[name] === true, apply: async () => void (state[name] = true) }));
}
const notImplemented = Object.assign(new Error('not implemented'), { name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });

describe('runSteps', () => {
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  beforeEach(() => (lines.length = 0));

  it('applies what is missing, then reports every step as already done', async () => {
    const state: Record<string, boolean> = { encryption: true };
    const first = await runSteps(memorySteps(state), { dryRun: false, customEndpoint: false, log });
    expect(first.map((r) => r.outcome)).toEqual(['done', 'done', 'already done']);
    expect(lines).toEqual(['[1/3] bucket: done', '[2/3] versioning: done', '[3/3] encryption: already done']);
    const second = await runSteps(memorySteps(state), { dryRun: false, customEndpoint: false, log });
    expect(second.every((r) => r.outcome === 'already done')).toBe(true);
  });

  it('changes nothing in a dry run', async () => {
    const state: Record<string, boolean> = { bucket: true };
    const results = await runSteps(memorySteps(state), { dryRun: true, customEndpoint: false, log });
    expect(results.map((r) => r.outcome)).toEqual(['already done', 'would do', 'would do']);
    expect(state).toEqual({ bucket: true });
  });

  it('fails a step whose change does not show after the apply', async () => {
    const stuck: BootstrapStep = { name: 'policy', check: async () => false, apply: async () => undefined };
    await expect(runSteps([stuck], { dryRun: false, customEndpoint: false, log, verifyAttempts: 2, sleep: async () => undefined })).rejects.toThrow(
      'policy: S3 accepted the change but still reports it missing after 2 checks',
    );
  });

  it('reports NotImplemented as unsupported only for a custom endpoint; against AWS it fails the run', async () => {
    const step: BootstrapStep = { name: 'lifecycle', check: async () => Promise.reject(notImplemented), apply: async () => undefined };
    const results = await runSteps([step], { dryRun: false, customEndpoint: true, log });
    expect(results[0]?.outcome).toBe('not supported by the endpoint');
    expect(lines[0]).toBe('[1/1] lifecycle: not supported by the endpoint (501 NotImplemented; this step is verified only against AWS)');
    await expect(runSteps([step], { dryRun: false, customEndpoint: false, log })).rejects.toThrow('lifecycle: not implemented');
    const denied: BootstrapStep = { name: 'bucket', check: async () => Promise.reject(new Error('AccessDenied')), apply: async () => undefined };
    await expect(runSteps([denied], { dryRun: false, customEndpoint: true, log })).rejects.toThrow('bucket: AccessDenied');
  });
});
