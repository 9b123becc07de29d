import { performance } from 'node:perf_hooks';
import { classifyError } from '../src/core/classify-error';
import { planFirehoseBatches } from '../src/core/plan-firehose-batches';
import { prepareRecord, type Deliverable } from '../src/core/prepare-record';

/**
 * Records/s of the processor's pure path (parse, validate, classify, normalize, plan Firehose calls) on
 * 1,000-record batches, in process. Usage: tsx packages/handlers/scripts/bench-pure.ts [payloadBytes] [batches]
 */
const payloadBytes = Number(process.argv[2] ?? 1024);
const batches = Number(process.argv[3] ?? 200);
const BATCH = 1000;

function body(i: number): string {
  if (i % 50 === 49) return `{"message_id":"m-${i}","json_payload":[1,2,3]}`; // 2% bad: exercises the DROP path
  const filler = 'x'.repeat(Math.max(0, payloadBytes - 160));
  return `{"message_id":"m-${i}","event_time":"2026-11-26T08:15:42.123Z","json_payload":{"id":${i},"amount":12345678901234567890,"name":"Zoë ${i}","tags":["a","b"],"nested":{"k":true,"v":null},"note":"${filler}"}}`;
}

const bodies = Array.from({ length: BATCH }, (_, i) => body(i));
const ctx = { topic: 'orders', sqsMessageId: 'sqs', receiveCount: 1, sourceQueue: 'lo-dev-orders', expectedFields: ['id', 'amount', 'name'], ingestedAtMicros: Date.now() * 1000 };

function runBatch(): number {
  const deliver: Deliverable[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const p = prepareRecord(bodies[i], { ...ctx, sqsMessageId: `sqs-${i}` });
    if (p.kind === 'deliver') deliver.push(p);
    else classifyError(p.reason);
  }
  return planFirehoseBatches(deliver).length;
}

for (let i = 0; i < 20; i++) runBatch(); // warm-up
const times: number[] = [];
for (let b = 0; b < batches; b++) {
  const t0 = performance.now();
  runBatch();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
// NaN when no batch ran: there is nothing to report then
const median = times[Math.floor(times.length / 2)] ?? NaN;
const p95 = times[Math.floor(times.length * 0.95)] ?? NaN;
const bodyBytes = Buffer.byteLength(bodies[0] ?? '');
console.log(
  `pure path, ${BATCH}-record batches, ~${bodyBytes} B bodies, ${batches} batches: median ${median.toFixed(2)} ms/batch ` +
    `(${Math.round((BATCH / median) * 1000).toLocaleString('en-US')} records/s), p95 ${p95.toFixed(2)} ms`,
);
