import type { CommandSpec } from '../command-line/command-spec.js';
import { loadRetrieve } from '../command-actions.js';
import { aeTitle, port } from './common-options.js';
import { queryOptions } from './query-options.js';
import type { QueryCommandOptions } from './query-options.js';

/** The options of `dicomnet move`. */
export interface MoveCommandOptions extends QueryCommandOptions {
  readonly dest: string;
}

/** `dicomnet move HOST PORT -k … --dest AET`: C-MOVE (PS3.4 C.4.2) to another AE. */
export const moveCommand: CommandSpec = {
  name: 'move',
  description: 'have a peer send instances to an AE it knows (C-MOVE); Ctrl-C cancels at the peer',
  arguments: [
    { name: 'host', description: 'peer host name or address' },
    { name: 'port', description: 'peer TCP port', parse: port },
  ],
  options: [
    {
      flags: '--dest <aet>',
      description: 'Move Destination: the AE title the peer sends the instances to',
      required: true,
      parse: aeTitle,
    },
    ...queryOptions(),
  ],
  async run(io, [host, peerPort], options) {
    const { runMove } = await loadRetrieve();
    // The casts are safe: the arguments' and options' parsers above produce exactly these types.
    await runMove(io, host as string, peerPort as number, options as unknown as MoveCommandOptions);
  },
};
