import type { CommandSpec } from '../command-line/command-spec.js';
import { loadStore } from '../command-actions.js';
import { InvalidValueError } from '../command-line/command-spec.js';
import { networkOptions, operationsWindow, port } from './common-options.js';
import type { NetworkOptions } from './common-options.js';
import { identityOptions } from './identity-options.js';
import type { IdentityCommandOptions } from './identity-options.js';
import { tlsOptions } from './tls-options.js';
import type { TlsCommandOptions } from './tls-options.js';

/** The options of `dicomnet store`. */
export interface StoreOptions extends NetworkOptions, TlsCommandOptions, IdentityCommandOptions {
  readonly transferSyntax?: string;
  readonly maxPdu?: number;
  readonly window?: number;
}

// Written out rather than imported from @dicomnet/dimse, so that defining the command line loads
// nothing of the networking stack (PS3.5 A.1, A.2, A.4 (deflated), A.3 (retired big endian)).
const SYNTAX_NAMES: Readonly<Record<string, string>> = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  'big-endian': '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
};

function transferSyntax(value: string): string {
  const uid = SYNTAX_NAMES[value] ?? value;
  if (!/^[0-9.]+$/.test(uid)) {
    throw new InvalidValueError(`a UID or one of ${Object.keys(SYNTAX_NAMES).join(', ')}`);
  }
  return uid;
}

/** `dicomnet store HOST PORT FILES|DIRS...`: C-STORE of Part 10 files, sent as they are. */
export const storeCommand: CommandSpec = {
  name: 'store',
  description: 'send DICOM Part 10 files to a peer (C-STORE); folders are searched recursively',
  arguments: [
    { name: 'host', description: 'peer host name or address' },
    { name: 'port', description: 'peer TCP port', parse: port },
    { name: 'paths', description: 'files and folders to send', variadic: true },
  ],
  options: [
    {
      flags: '--transfer-syntax <syntax>',
      description:
        'send every file in this syntax (a UID, or implicit, explicit, big-endian, deflated): files in another uncompressed syntax are converted; by default each file goes as it is',
      parse: transferSyntax,
    },
    { flags: '--max-pdu <bytes>', description: 'largest PDU we accept', parse: port },
    {
      flags: '--window <n>',
      description:
        'keep up to n C-STOREs in flight (asks the peer for an asynchronous operations window, PS3.7 D.3.3.3; default 1)',
      parse: operationsWindow,
    },
    ...networkOptions(),
    ...tlsOptions('scu'),
    ...identityOptions(),
  ],
  async run(io, [host, peerPort, paths], options) {
    const { runStore } = await loadStore();
    // The casts are safe: the arguments' and options' parsers above produce exactly these types.
    await runStore(
      io,
      host as string,
      peerPort as number,
      paths as string[],
      options as unknown as StoreOptions,
    );
  },
};
