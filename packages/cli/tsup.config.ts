import { defineConfig } from 'tsup';

// One file per command line and per command, not a chunk per shared module: each ESM module
// costs start-up time (Node 20 has no compile cache), and `dicomnet echo` should load two of
// ours, not eight. `./actions/…` imports stay dynamic and external, so a command's code (and the
// libraries it imports) loads only when it runs; helpers shared by several actions are copied
// into each.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    bin: 'src/bin.ts',
    'actions/echo': 'src/actions/echo.ts',
    'actions/store': 'src/actions/store.ts',
    'actions/find': 'src/actions/find.ts',
    'actions/retrieve': 'src/actions/retrieve.ts',
    'actions/serve': 'src/actions/serve.ts',
    'actions/demo': 'src/actions/demo.ts',
    'actions/import': 'src/actions/import.ts',
    'actions/inventory-show': 'src/actions/inventory-show.ts',
    'actions/inventory-diff': 'src/actions/inventory-diff.ts',
    'actions/inventory-request': 'src/actions/inventory-request.ts',
    'actions/tls-context': 'src/actions/tls-context.ts',
  },
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  external: [/^\.\/actions\//, /^\.\.\/actions\//],
});
