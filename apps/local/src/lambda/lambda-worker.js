'use strict';
// One Lambda execution environment: loads a CommonJS handler bundle once (cold start) and runs one
// invocation at a time for the parent over IPC. Plain JavaScript so it forks without a TypeScript loader.
const [handlerFile, exportName = 'handler'] = process.argv.slice(2);

let handler;
let initError;
const initStart = Date.now();
try {
  const mod = require(handlerFile);
  handler = mod[exportName] ?? (mod.default && mod.default[exportName]);
  if (typeof handler !== 'function') {
    initError = { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handlerFile}.${exportName} is undefined or not exported` };
  }
} catch (err) {
  initError = { errorType: 'Runtime.ImportModuleError', errorMessage: String((err && err.stack) || err) };
}
process.send({ type: 'ready', initMs: Date.now() - initStart, error: initError });

// The `lambda_crash` fault: the environment dies when the handler parses (processes) one of these bodies, as a
// runtime dies on a poison input. Set per invocation by the parent; the handler is not told.
let crashBodies;
const realParse = JSON.parse;
JSON.parse = function parse(text, reviver) {
  if (crashBodies !== undefined && typeof text === 'string' && crashBodies.has(text)) process.kill(process.pid, 'SIGKILL');
  return realParse.call(this, text, reviver);
};

const toError = (err) => ({
  errorType: (err && err.name) || 'Error',
  errorMessage: err && err.message !== undefined ? String(err.message) : String(err),
  trace: err && err.stack ? String(err.stack).split('\n') : [],
});

process.on('message', (msg) => {
  if (!msg || msg.type !== 'invoke') return;
  const { id, event, deadline, crashAfterMs, crashOnParse } = msg;
  // `lambda_crash_once`: the environment dies as the invocation starts, before the handler runs.
  if (crashAfterMs === 0) process.kill(process.pid, 'SIGKILL');
  crashBodies = Array.isArray(crashOnParse) && crashOnParse.length > 0 ? new Set(crashOnParse) : undefined;
  let settled = false;
  const reply = (result) => {
    if (settled) return;
    settled = true;
    crashBodies = undefined;
    // A crash fault ends the environment even when the handler already finished: the result is never returned.
    if (crashAfterMs !== undefined) process.kill(process.pid, 'SIGKILL');
    if (result.ok) {
      // The runtime returns the result as JSON text (undefined becomes null), as Lambda serializes it.
      try {
        result = { ok: true, payload: JSON.stringify(result.payload === undefined ? null : result.payload) };
      } catch (err) {
        result = { ok: false, errorType: 'Runtime.SerializationError', errorMessage: String(err && err.message) };
      }
    }
    process.send({ type: 'done', id, ...result });
  };
  if (crashAfterMs !== undefined) setTimeout(() => process.kill(process.pid, 'SIGKILL'), crashAfterMs);
  if (initError) return reply({ ok: false, ...initError });
  const context = {
    functionName: msg.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: msg.invokedFunctionArn,
    memoryLimitInMB: String(msg.memoryLimitInMB),
    awsRequestId: msg.awsRequestId,
    logGroupName: msg.logGroupName,
    logStreamName: msg.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (err, res) => (err ? reply({ ok: false, ...toError(err) }) : reply({ ok: true, payload: res })),
    succeed: (res) => reply({ ok: true, payload: res }),
    fail: (err) => reply({ ok: false, ...toError(err) }),
  };
  try {
    const callback = (err, res) => (err ? reply({ ok: false, ...toError(err) }) : reply({ ok: true, payload: res }));
    const out = handler(event, context, callback);
    if (out && typeof out.then === 'function') {
      out.then(
        (res) => reply({ ok: true, payload: res }),
        (err) => reply({ ok: false, ...toError(err) }),
      );
    } else if (handler.length < 3) {
      reply({ ok: true, payload: out });
    }
  } catch (err) {
    reply({ ok: false, ...toError(err) });
  }
});

// As in the Lambda Node.js runtime, an uncaught error ends the environment; the parent reports the invocation as failed.
process.on('uncaughtException', (err) => {
  console.error(`Uncaught ${err && err.stack ? err.stack : err}`);
  process.exit(129);
});
process.on('unhandledRejection', (err) => {
  console.error(`Unhandled Promise Rejection ${err && err.stack ? err.stack : err}`);
  process.exit(128);
});
process.on('disconnect', () => process.exit(0));
