import type { CommandSpec } from '../command-line/command-spec.js';
import { loadEcho } from '../command-actions.js';
import { networkOptions, port, positiveInteger } from './common-options.js';
import type { NetworkOptions } from './common-options.js';
import { identityOptions } from './identity-options.js';
import type { IdentityCommandOptions } from './identity-options.js';
import { tlsOptions } from './tls-options.js';
import type { TlsCommandOptions } from './tls-options.js';

/** The options of `dicomnet echo`. */
export interface EchoOptions extends NetworkOptions, TlsCommandOptions, IdentityCommandOptions {
  readonly repeat: number;
  readonly verbose: boolean;
}

/**
 * `dicomnet echo HOST PORT`: C-ECHO, repeated on one association (PS3.4 Annex A). Only the
 * definition lives here; the networking code is loaded when the command runs.
 */
export const echoCommand: CommandSpec = {
  name: 'echo',
  description: 'verify a DICOM peer answers (C-ECHO), optionally several times on one association',
  arguments: [
    { name: 'host', description: 'peer host name or address' },
    { name: 'port', description: 'peer TCP port', parse: port },
  ],
  options: [
    {
      flags: '--repeat <n>',
      description: 'echoes to send on the one association',
      default: 1,
      parse: positiveInteger,
    },
    { flags: '--verbose', description: 'print one line per echo, not only the summary' },
    ...networkOptions(),
    ...tlsOptions('scu'),
    ...identityOptions(),
  ],
  async run(io, [host, peerPort], options) {
    const { runEcho } = await loadEcho();
    // The casts are safe: the arguments' and options' parsers above produce exactly these types.
    await runEcho(io, host as string, peerPort as number, options as unknown as EchoOptions);
  },
};
