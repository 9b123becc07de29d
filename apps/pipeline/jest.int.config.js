// Integration tests: run real tools (nx, terraform) as child processes; run as their own target.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pipeline:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/test/**/*.int.spec.ts'],
  testTimeout: 120000,
};
