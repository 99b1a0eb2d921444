import { defineConfig } from 'tsup';

// Two entries: the runner, and the receiver that the loopback benchmark forks as a child process.
export default defineConfig({
  entry: { run: 'src/run.ts', 'loopback-receiver': 'src/pdu/loopback-receiver-process.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Measure the package as users get it: its built dist, never a bundled copy of its source.
  external: ['@dicomnet/pdu'],
});
