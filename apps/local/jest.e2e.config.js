// End-to-end tests: the whole local stack in process.
module.exports = {
  ...require('../../jest.preset.js'),
  ...require('../../packages/iceberg/jest-esm.js'),
  displayName: 'local:e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts', '<rootDir>/test/**/*.e2e.spec.ts'],
  testTimeout: 300000,
  maxWorkers: 1,
};
