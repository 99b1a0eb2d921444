import { defineConfig } from 'tsup';

// The runner, and the child processes it forks: the loopback benchmark's receiver, the DIMSE
// benchmarks' dicomnet SCP, the dcmjs 50 MB case, and the inventory benchmark's serving SCP and
// C-ECHO client, and the floor receiver and floor C-GET and C-ECHO SCUs (the least Node does, as references).
export default defineConfig({
  entry: {
    run: 'src/run.ts',
    'loopback-receiver': 'src/pdu/loopback-receiver-process.ts',
    'dimse-scp': 'src/dimse/scp-process.ts',
    'dcmjs-large': 'src/dcmjs/large-child.ts',
    'inventory-serve': 'src/inventory/inventory-serve-process.ts',
    'inventory-echo': 'src/inventory/inventory-echo-process.ts',
    'floor-receiver': 'src/floor/floor-receiver-process.ts',
    'floor-get': 'src/floor/floor-get-process.ts',
    'floor-echo': 'src/floor/floor-echo-process.ts',
  },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Measure the package as users get it: its built dist, never a bundled copy of its source.
  external: ['@dicomnet/pdu', '@dicomnet/dimse', 'dcmjs'],
});
