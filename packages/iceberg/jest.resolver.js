// icebird and the hyparquet it pins export only an `import` condition, which jest's CommonJS resolution skips:
// when the usual conditions find nothing, resolve once more with `import` (the files are transpiled by swc).
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    try {
      return options.defaultResolver(request, { ...options, conditions: ['import', 'node', 'default'] });
    } catch {
      throw error;
    }
  }
};
