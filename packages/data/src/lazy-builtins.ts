// Built-ins that only deflate and Part 10 file writing use, loaded when first called rather than
// when @dicomnet/data is imported: static imports of `node:zlib` and `node:crypto` cost every
// importer 5-10 ms at start-up (Node 20 builds an ES module facade over all of a built-in's
// exports; `node:crypto`'s loads WebCrypto), and a C-ECHO uses neither (bench/README.md,
// cli-startup). `process.getBuiltinModule` (Node 20.16) is synchronous, works alike in the ESM
// and the CJS build, caches, and returns the object `require` would.
import type * as Crypto from 'node:crypto';
import type * as Zlib from 'node:zlib';

/** `node:zlib`, loaded on first use. */
export function nodeZlib(): typeof Zlib {
  return process.getBuiltinModule('node:zlib');
}

/** `node:crypto`, loaded on first use. */
export function nodeCrypto(): typeof Crypto {
  return process.getBuiltinModule('node:crypto');
}
