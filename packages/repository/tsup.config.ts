import { defineConfig } from 'tsup';

export default defineConfig({
  // The services subpath is its own entry: the main one stays free of @dicomnet/dimse.
  entry: { index: 'src/index.ts', 'services/index': 'src/services/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
