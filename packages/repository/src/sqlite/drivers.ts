// The two drivers, each loaded only when first asked for: node:sqlite is built into Node 22.13+
// and 24; better-sqlite3 is an optional dependency with a native addon built for one Node ABI.
import type { NativeDatabase } from './database.js';

/** Opens a native database of one driver at `path` (`':memory:'` for a private one). */
export type NativeOpener = (path: string) => NativeDatabase;

/** How each driver is found; replaced in tests to observe which loader runs. */
export interface SqliteDriverLoaders {
  /** The built-in module's opener, or undefined when this runtime has no `node:sqlite`. */
  readonly 'node:sqlite': () => NativeOpener | undefined;
  /** better-sqlite3's opener; rejects when the package is absent or cannot load. */
  readonly 'better-sqlite3': () => Promise<NativeOpener>;
}

interface NodeSqliteModule {
  readonly DatabaseSync: new (path: string) => NativeDatabase;
}

interface BetterSqlite3Module {
  readonly default: new (path: string) => NativeDatabase;
}

type GetBuiltinModule = (id: string) => unknown;

/**
 * node:sqlite through `process.getBuiltinModule` (Node 20.16+), which answers undefined for a
 * built-in this runtime lacks (Node 20, or 22 before 22.13 without `--experimental-sqlite`)
 * instead of throwing as `import` would. Node 22 and 24 emit an ExperimentalWarning when the
 * module loads; a library must not print, so that one warning is held back while it loads.
 */
export function loadNodeSqlite(): NativeOpener | undefined {
  const getBuiltinModule = (process as { getBuiltinModule?: GetBuiltinModule }).getBuiltinModule;
  if (getBuiltinModule === undefined) return undefined;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, ...args: unknown[]): void {
    const [warning, typeOrOptions] = args;
    const text = warning instanceof Error ? warning.message : String(warning);
    const type =
      warning instanceof Error
        ? warning.name
        : typeof typeOrOptions === 'string'
          ? typeOrOptions
          : (typeOrOptions as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && /sqlite/i.test(text)) return;
    (emitWarning as (...rest: unknown[]) => void).apply(this, args);
  } as typeof process.emitWarning;
  let module: NodeSqliteModule | undefined;
  try {
    module = getBuiltinModule('node:sqlite') as NodeSqliteModule | undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
  if (module === undefined) return undefined;
  const { DatabaseSync } = module;
  return (path) => new DatabaseSync(path);
}

// A variable, so that neither TypeScript (the package ships no types we depend on) nor the
// bundler (which would try to inline it) resolves it at build time.
const BETTER_SQLITE3 = 'better-sqlite3';

/** better-sqlite3 through a dynamic import; its addon itself loads at the first open. */
export async function loadBetterSqlite3(): Promise<NativeOpener> {
  const module = (await import(BETTER_SQLITE3)) as BetterSqlite3Module;
  const Database = module.default;
  return (path) => new Database(path);
}

/** The loaders used when none are given. */
export const DEFAULT_SQLITE_LOADERS: SqliteDriverLoaders = {
  'node:sqlite': loadNodeSqlite,
  'better-sqlite3': loadBetterSqlite3,
};
