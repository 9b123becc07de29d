// Integration tests: start real local servers (s3rver, dynalite, the local stack's Lambda API); run as their own target.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pipeline:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts'],
  testTimeout: 120000,
};
