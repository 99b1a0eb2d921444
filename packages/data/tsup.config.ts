import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  esbuildOptions(options, { format }) {
    // CommonJS has no import.meta: give the CJS build the bundle's own URL instead (see
    // src/cjs-import-meta-url.ts); the ESM build keeps the real one and gets nothing injected.
    if (format !== 'cjs') return;
    options.inject = [...(options.inject ?? []), 'src/cjs-import-meta-url.ts'];
    options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
  },
});
