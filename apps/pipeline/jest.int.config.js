// Integration tests: synthesize whole stacks, run real tools (nx, tsx) and real local servers (s3rver, dynalite) in child processes or in process; run as their own target.
module.exports = require('../../jest.preset.js').projectConfig(__dirname, 'integration', { testTimeout: 120_000 });
