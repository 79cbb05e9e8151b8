// Lets a plain `node` child process (the dispatcher the crash test SIGKILLs) load the project's
// TypeScript: transpile .ts with @swc/core (the same settings as .swcrc) and map @duban/* aliases.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
const aliases = swcrc.jsc.paths;
const { paths: _paths, baseUrl: _baseUrl, ...jsc } = swcrc.jsc;

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const target = aliases[request];
  return resolve.call(this, target ? path.join(root, target[0]) : request, ...rest);
};
require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    sourceMaps: 'inline',
    jsc,
    module: swcrc.module,
  });
  module._compile(code, filename);
};
