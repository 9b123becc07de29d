// Integration tests: start real local servers; run as their own target.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, 'integration');
