// Integration tests: start real local servers; run as their own target.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'injector:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/test/**/*.int.spec.ts'],
  testTimeout: 60000,
};
