// Integration tests: start real local servers (dynalite, s3rver, stand-ins); run as their own target.
module.exports = {
  ...require('../../jest.preset.js'),
  ...require('../../packages/iceberg/jest-esm.js'),
  displayName: 'local:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/test/**/*.int.spec.ts'],
  testTimeout: 60000,
};
