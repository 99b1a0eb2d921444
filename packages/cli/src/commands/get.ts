import type { CommandSpec } from '../command-line/command-spec.js';
import { loadRetrieve } from '../command-actions.js';
import { port } from './common-options.js';
import { queryOptions } from './query-options.js';
import type { QueryCommandOptions } from './query-options.js';

/** The options of `dicomnet get`. */
export interface GetCommandOptions extends QueryCommandOptions {
  readonly out: string;
  /** Whether each instance is durable before its C-STORE sub-operation is answered (`--no-fsync`). */
  readonly fsync: boolean;
}

/** `dicomnet get HOST PORT -k … --out DIR`: C-GET (PS3.4 C.4.3) into a folder. */
export const getCommand: CommandSpec = {
  name: 'get',
  description:
    'retrieve instances from a peer on the same association (C-GET) into a folder; Ctrl-C cancels at the peer',
  arguments: [
    { name: 'host', description: 'peer host name or address' },
    { name: 'port', description: 'peer TCP port', parse: port },
  ],
  options: [
    {
      flags: '--out <dir>',
      description: 'folder the instances are written to, atomically (created if missing)',
      required: true,
    },
    {
      flags: '--no-fsync',
      description:
        'do not wait for each file to reach the disk before answering its sub-operation (faster, as getscu; still atomic, but an OS crash may lose the last ones)',
    },
    ...queryOptions(),
  ],
  async run(io, [host, peerPort], options) {
    const { runGet } = await loadRetrieve();
    // The casts are safe: the arguments' and options' parsers above produce exactly these types.
    await runGet(io, host as string, peerPort as number, options as unknown as GetCommandOptions);
  },
};
