module.exports = {
  ...require('../../jest.preset.js'),
  ...require('./jest-esm.js'),
  displayName: 'iceberg',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
};
