import type * as Tls from 'node:tls';

/**
 * `node:tls`, loaded when a TLS connection or listener is first asked for. A static import
 * would cost every importer of this package about 9 ms at start-up (`node:tls` pulls in
 * `node:crypto`, and Node 20 builds an ES module facade over each built-in's exports), while
 * most associations are plain TCP (bench/README.md, cli-startup). `process.getBuiltinModule`
 * (Node 20.16) is synchronous, works alike in the ESM and the CJS build, caches, and returns
 * the object `require('node:tls')` would.
 */
export function nodeTls(): typeof Tls {
  return process.getBuiltinModule('node:tls');
}
