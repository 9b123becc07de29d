// Integration tests: real tools (nx) and real local servers (s3rver, dynalite) in child processes or in process; run as their own target.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pipeline:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/test/**/*.int.spec.ts'],
  testTimeout: 120000,
};
