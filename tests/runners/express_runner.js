// Runs an Express fixture app for the tests, with the pinned express, cors
// and typescript packages of this folder:
//
//   PORT=8123 NODE_PATH=tests/runners/node_modules \
//     node tests/runners/express_runner.js fixtures/express/.../app.js
//
// The fixture listens on 127.0.0.1:$PORT itself. Two things are added
// around it, a third on request, and nothing else changes:
//  - a request carrying `X-Corslint-Fail: 1` makes the final handler of the
//    route it reaches fail before it runs (next(err)), as when the
//    application's own code throws; the tests compare that with the
//    model's answer for handler_status 500;
//  - `.ts` files are compiled to CommonJS with the pinned TypeScript, type
//    checks off, so that TypeScript fixtures run unchanged;
//  - with CORSLINT_APP_HEADER='Name: value' in the environment, the final
//    handler of every route sets that header before it runs, as an
//    application's own headers (the browser suite checks which of them a
//    page can read).
'use strict';

const fs = require('fs');
const path = require('path');

const fixture = process.argv[2];
if (!fixture) {
  process.stderr.write('express_runner: error: name a fixture file\n');
  process.exit(2);
}

const ts = require('typescript');
require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const output = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2020,
      esModuleInterop: true,
    },
  });
  module._compile(output.outputText, filename);
};

// Every route method (app.get, router.post, app.route(p).put, ...) ends in
// Route.prototype[method]: wrap the last handler given there.
const Route = require('router/lib/route');
const methods = require('http').METHODS.map((m) => m.toLowerCase())
  .concat('all');
const appHeader = /^([^:]+):\s*(.*)$/.exec(process.env.CORSLINT_APP_HEADER ?? '');
function failing(handler) {
  if (typeof handler !== 'function' || handler.length >= 4 ||
      handler.name === 'corsMiddleware') {
    return handler;
  }
  return function (req, res, next) {
    if (req.headers['x-corslint-fail']) {
      next(new Error('failure requested by the corslint tests'));
      return;
    }
    if (appHeader) res.set(appHeader[1], appHeader[2]);
    return handler.apply(this, arguments);
  };
}
for (const method of methods) {
  const original = Route.prototype[method];
  if (typeof original !== 'function') continue;
  Route.prototype[method] = function (...handlers) {
    const flat = handlers.flat(Infinity);
    if (flat.length > 0) flat[flat.length - 1] = failing(flat[flat.length - 1]);
    return original.apply(this, flat);
  };
}

// Silence finalhandler's stack traces for the requested failures.
process.env.NODE_ENV = 'test';

require(path.resolve(fixture));
