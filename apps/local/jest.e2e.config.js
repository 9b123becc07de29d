// End-to-end tests: the whole local stack in process.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, 'e2e', { esm: true });
