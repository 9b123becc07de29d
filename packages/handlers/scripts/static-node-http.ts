import * as fs from 'node:fs';
import type { Plugin } from 'esbuild';

/** The SDK's HTTP handler, ES build: it loads node:http on the first call to an http: endpoint. */
const HANDLER_FILE = /[\\/]@smithy[\\/]node-http-handler[\\/]dist-es[\\/]node-http-handler\.js$/;
const DYNAMIC_IMPORT = 'await import("node:http")';

/**
 * The SDK's ES build loads node:http with `await import("node:http")`, so https-only clients never load it. In a
 * CommonJS bundle that import builds node:http's ES module facade, which reads every export, and on Node 22 the
 * lazy `WebSocket`, `CloseEvent` and `MessageEvent` exports load undici: ~18 ms of CPU on the first http: call of
 * every execution environment (measured on the nodejs22.x binary; `require` of the already loaded module: 0.1 ms).
 * On AWS the endpoints are https: and the import never runs; against the local stack (http:) every environment
 * paid it. The bundle takes node:http by `require` instead: the same module object (the SDK reads
 * `node_http.default ?? node_http`). If the SDK's text changes, the build fails rather than bundling it unchanged.
 */
export const staticNodeHttp: Plugin = {
  name: 'static-node-http',
  setup(build) {
    build.onLoad({ filter: HANDLER_FILE }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      if (!source.includes(DYNAMIC_IMPORT)) {
        return { errors: [{ text: `${args.path} no longer holds ${DYNAMIC_IMPORT}: review staticNodeHttp (scripts/static-node-http.ts) against the new SDK` }] };
      }
      return { contents: source.replaceAll(DYNAMIC_IMPORT, 'require("node:http")'), loader: 'js' };
    });
  },
};
