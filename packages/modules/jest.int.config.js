// Integration tests: run real tools (unzip, zipinfo) on what the modules write; run as their own target.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, 'integration');
