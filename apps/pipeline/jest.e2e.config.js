// End-to-end tests: the real terraform binary and provider on synthesized stacks (run under the heavy-run lock).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pipeline:e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts', '<rootDir>/test/**/*.e2e.spec.ts'],
  testTimeout: 300000,
  maxWorkers: 1,
};
