import type { CommandSpec } from '../command-line/command-spec.js';
import { loadServe } from '../command-actions.js';
import { aeTitle, operationsWindow, port, positiveInteger } from './common-options.js';
import { acceptUserOption } from './identity-options.js';
import type { AcceptedUser } from './identity-options.js';
import { tlsOptions } from './tls-options.js';
import type { TlsCommandOptions } from './tls-options.js';

/** The options of `dicomnet serve`. */
export interface ServeOptions extends TlsCommandOptions {
  readonly port: number;
  readonly host: string;
  readonly aet: string;
  readonly storage: string;
  readonly maxAssociations: number;
  readonly window: number;
  readonly fsync: boolean;
  readonly json: boolean;
  readonly acceptUser?: readonly AcceptedUser[];
}

/**
 * `dicomnet serve`: a Verification and Storage SCP that writes every instance it receives into
 * a folder, atomically, as `<SOP Instance UID>.dcm` with a Part 10 header (PS3.10).
 */
export const serveCommand: CommandSpec = {
  name: 'serve',
  description: 'receive instances (C-STORE) into a folder and answer C-ECHO, until interrupted',
  arguments: [],
  options: [
    {
      flags: '--storage <dir>',
      description: 'folder received instances are written to (created if missing)',
      required: true,
    },
    {
      flags: '--port <n>',
      description: 'TCP port to listen on (0 picks a free one)',
      default: 11112,
      parse: port,
    },
    { flags: '--host <address>', description: 'address to listen on', default: '127.0.0.1' },
    {
      flags: '--aet <title>',
      description: 'our AE title; other called AE titles are rejected',
      default: 'DICOMNET',
      parse: aeTitle,
    },
    {
      flags: '--max-associations <n>',
      description: 'associations served at once',
      default: 16,
      parse: positiveInteger,
    },
    {
      flags: '--window <n>',
      description:
        'C-STOREs one peer may have in flight at once, when it asks for an asynchronous operations window (PS3.7 D.3.3.3)',
      default: 1,
      parse: operationsWindow,
    },
    {
      flags: '--no-fsync',
      description:
        'do not wait for each file to reach the disk before answering (faster; an OS crash may lose what was acknowledged)',
    },
    { flags: '--json', description: 'log one JSON object per line' },
    ...tlsOptions('scp'),
    acceptUserOption(),
  ],
  async run(io, _args, options) {
    const { runServe } = await loadServe();
    // The cast is safe: the options' parsers and defaults above produce exactly these types.
    await runServe(io, options as unknown as ServeOptions);
  },
};
