import type { CommandSpec } from '../command-line/command-spec.js';
import { InvalidValueError } from '../command-line/command-spec.js';
import { loadDemo } from '../command-actions.js';
import { positiveInteger } from './common-options.js';

/** The options of `dicomnet demo`. */
export interface DemoOptions {
  /** Studies to make (each of 2 series of 3 instances). */
  readonly studies: number;
  /** Inventory Level (0008,0403) to ask for. */
  readonly level: 'STUDY' | 'SERIES' | 'INSTANCE';
  /** Records per Inventory instance: small, so that the inventory splits into a tree. */
  readonly maxRecordsPerInstance: number;
  readonly json: boolean;
  readonly keep: boolean;
}

function level(value: string): DemoOptions['level'] {
  const upper = value.toUpperCase();
  if (upper === 'STUDY' || upper === 'SERIES' || upper === 'INSTANCE') return upper;
  throw new InvalidValueError('STUDY, SERIES or INSTANCE');
}

/**
 * `dicomnet demo`: the main job on loopback with nothing installed: `dicomnet serve` in this
 * process on a temporary repository, generated studies stored into it, an inventory requested
 * (Inventory Creation, PS3.4 KK), retrieved (Inventory GET, PS3.4 JJ), shown and checked.
 */
export const demoCommand: CommandSpec = {
  name: 'demo',
  description:
    'run dicomnet end to end on this machine: an embedded archive, generated studies stored into it, an inventory requested, retrieved, shown and checked against what was stored',
  arguments: [],
  options: [
    {
      flags: '--studies <n>',
      description: 'studies to make and store (each of 2 series of 3 instances, over 4 patients)',
      default: 6,
      parse: positiveInteger,
    },
    {
      flags: '--level <level>',
      description: 'Inventory Level to ask for: STUDY, SERIES or INSTANCE',
      default: 'INSTANCE',
      parse: level,
    },
    {
      flags: '--max-records-per-instance <n>',
      description: 'records per Inventory instance, small so that the inventory splits into a tree',
      default: 20,
      parse: positiveInteger,
    },
    { flags: '--keep', description: 'keep the temporary repository and the retrieved inventory' },
    { flags: '--json', description: 'print one JSON document for scripts' },
  ],
  async run(io, _args, options) {
    const { runDemo } = await loadDemo();
    // The cast is safe: the options' parsers and defaults above produce exactly these types.
    await runDemo(io, options as unknown as DemoOptions);
  },
};
