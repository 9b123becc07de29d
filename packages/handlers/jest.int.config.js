// Integration tests: start real local servers (dynalite, s3rver, stand-ins); run as their own target.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, 'integration');
