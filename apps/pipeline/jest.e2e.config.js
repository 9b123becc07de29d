// End-to-end tests: the real terraform binary and provider on synthesized stacks, and the local stack (`npm run local -- serve`) as a child process.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pipeline:e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts', '<rootDir>/test/**/*.e2e.spec.ts'],
  testTimeout: 300000,
  maxWorkers: 1,
};
