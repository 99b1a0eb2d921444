import type { CommandSpec } from '../command-line/command-spec.js';
import { loadFind } from '../command-actions.js';
import { port } from './common-options.js';
import { queryOptions } from './query-options.js';
import type { QueryCommandOptions } from './query-options.js';

/** `dicomnet find HOST PORT -k …`: C-FIND (PS3.4 C.4.1), the matches as a table or JSON. */
export const findCommand: CommandSpec = {
  name: 'find',
  description: 'query a peer (C-FIND) and print the matches; Ctrl-C cancels at the peer',
  arguments: [
    { name: 'host', description: 'peer host name or address' },
    { name: 'port', description: 'peer TCP port', parse: port },
  ],
  options: queryOptions(),
  async run(io, [host, peerPort], options) {
    const { runFind } = await loadFind();
    // The casts are safe: the arguments' and options' parsers above produce exactly these types.
    await runFind(
      io,
      host as string,
      peerPort as number,
      options as unknown as QueryCommandOptions,
    );
  },
};
