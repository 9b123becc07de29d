// End-to-end tests: the local stack (`npm run local -- serve`) as a child process.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pipeline:e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  testTimeout: 300000,
  maxWorkers: 1,
};
