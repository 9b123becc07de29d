// End-to-end tests: the real terraform binary and provider on synthesized stacks, and the local stack (`npm run local -- serve`) as a child process.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, 'e2e');
