// Shared jest settings: @swc/jest transpiles TypeScript (type-checking is the separate `typecheck` target).
const path = require('node:path');

const preset = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/**
 * Targets by cost: `unit` runs in seconds and starts no process or server; `integration` starts real local servers
 * or tools; `e2e` runs whole stacks, one file at a time.
 */
const KINDS = {
  unit: {
    suffix: '.spec.ts',
    testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
  },
  integration: { suffix: '.int.spec.ts', testTimeout: 60_000 },
  e2e: { suffix: '.e2e.spec.ts', testTimeout: 300_000, maxWorkers: 1 },
};

/**
 * The jest config of one project and kind: `projectConfig(__dirname, 'integration', { esm: true })`.
 * `esm` loads @lean-ops/iceberg's ES-module-only dependencies; other options are passed to jest as they are.
 */
function projectConfig(rootDir, kind = 'unit', { esm = false, ...overrides } = {}) {
  const { suffix, ...settings } = KINDS[kind];
  const name = path.basename(rootDir);
  return {
    ...preset,
    ...(esm ? require('./packages/iceberg/jest-esm.js') : {}),
    displayName: kind === 'unit' ? name : `${name}:${kind}`,
    rootDir,
    testMatch: [`<rootDir>/src/**/*${suffix}`, `<rootDir>/test/**/*${suffix}`],
    ...settings,
    ...overrides,
  };
}

module.exports = { preset, projectConfig };
