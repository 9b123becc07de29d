// Lint: typescript-eslint's recommended rules (syntax only, no type-aware rules: lint stays fast), Nx module
// boundaries on the scope tags, and nothing about layout (Prettier owns that; eslint-config-prettier turns clashes off).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

// @nx/enforce-module-boundaries reads the cached project graph and skips itself (a warning, no error) when there is
// none, as on a fresh clone: build the graph first, so that a boundary is never left unchecked.
const root = import.meta.dirname;
if (!existsSync(`${root}/.nx/workspace-data/project-graph.json`)) {
  const nxBin = createRequire(import.meta.url).resolve('nx/bin/nx.js');
  execFileSync(process.execPath, [nxBin, 'show', 'projects'], { cwd: root, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
}

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/cdktf.out/', '**/.nx/', '**/.lean-ops/', '**/.gen/', '**/coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      // Unused names are the compiler's (noUnusedLocals, noUnusedParameters); `_`-prefixed ones stay allowed here too.
      // A closure may read a name that is assigned once, later (`let server; ...; server = await start()`).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          // The local stack runs the pipeline's own synth (it emulates the plan, it keeps no copy) and the
          // injector's generator: those two apps are imported as libraries, by these paths only.
          allow: ['@lean-ops/injector', '@lean-ops/pipeline/src/app', '@lean-ops/pipeline/src/tools/paths'],
          depConstraints: [
            // The one source of names, keys and limits depends on nothing.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            // Libraries never reach into apps.
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Handlers run in Lambda: contracts and runtime libraries only, never modules, config or apps.
            { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'scope:runtime'] },
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:shared', 'scope:runtime', 'scope:infra'] },
            { sourceTag: 'scope:local', onlyDependOnLibsWithTags: ['scope:shared', 'scope:runtime', 'scope:infra', 'scope:local'] },
          ],
        },
      ],
    },
  },
  {
    // Specs and their helpers walk synthesized Terraform JSON and AWS payloads whose shape the assertion itself checks.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
