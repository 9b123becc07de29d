module.exports = {
  ...require('../../jest.preset.js'),
  ...require('../../packages/iceberg/jest-esm.js'),
  displayName: 'local',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
};
