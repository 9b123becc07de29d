// Jest settings any project needs to load @lean-ops/iceberg under jest (CommonJS): hyparquet, hyparquet-writer and
// icebird ship as ES modules only, so swc transpiles them, and the resolver also tries the `import` condition
// (icebird and the hyparquet it pins export nothing else). Spread into a jest config: `...require('<this file>')`.
const esmOnly = ['hyparquet', 'hyparquet-writer', 'hyparquet-compressors', 'hysnappy', 'icebird'];

module.exports = {
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  resolver: require.resolve('./jest.resolver.js'),
};
