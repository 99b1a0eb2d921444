import type { CommandSpec } from '../command-line/command-spec.js';
import { loadDemo } from '../command-actions.js';
import { positiveInteger } from './common-options.js';

/** The options of `dicomnet demo`. */
export interface DemoOptions {
  readonly count: number;
  readonly json: boolean;
  readonly keep: boolean;
}

/**
 * `dicomnet demo`: the whole stack on loopback with nothing installed: starts an embedded SCP,
 * makes instances, echoes, stores them with progress, and checks every stored file byte by byte.
 */
export const demoCommand: CommandSpec = {
  name: 'demo',
  description:
    'run dicomnet end to end on this machine: an embedded SCP, C-ECHO, C-STORE and a byte-for-byte check',
  arguments: [],
  options: [
    {
      flags: '--count <n>',
      description: 'instances to make and send',
      default: 20,
      parse: positiveInteger,
    },
    { flags: '--keep', description: 'keep the folder of received instances' },
    { flags: '--json', description: 'print one JSON document for scripts' },
  ],
  async run(io, _args, options) {
    const { runDemo } = await loadDemo();
    // The cast is safe: the options' parsers and defaults above produce exactly these types.
    await runDemo(io, options as unknown as DemoOptions);
  },
};
