import type { OptionSpec } from '../command-line/command-spec.js';
import { InvalidValueError } from '../command-line/command-spec.js';

/** The user identity options as the command line gives them (PS3.7 D.3.3.7). */
export interface IdentityCommandOptions {
  readonly user?: string;
  readonly password?: string;
}

/** An accept-list entry of `serve --accept-user`: a user name and, for type 2, its passcode. */
export interface AcceptedUser {
  readonly name: string;
  readonly password?: string;
}

// PS3.7 Table D.3-14: each field's length is a 2-byte count of bytes.
const MAX_FIELD_BYTES = 65_535;

function identityField(value: string): string {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes === 0 || bytes > MAX_FIELD_BYTES) {
    throw new InvalidValueError(`1 to ${MAX_FIELD_BYTES} bytes of UTF-8`);
  }
  return value;
}

function acceptedUser(value: string): AcceptedUser {
  const colon = value.indexOf(':');
  const name = identityField(colon === -1 ? value : value.slice(0, colon));
  return colon === -1 ? { name } : { name, password: identityField(value.slice(colon + 1)) };
}

/** `--user` and `--password` of the commands that call a peer (DCMTK's `-usr`/`-pwd`). */
export function identityOptions(): OptionSpec[] {
  return [
    {
      flags: '--user <name>',
      description:
        'send a user identity (PS3.7 D.3.3.7): this user name, type 1, or type 2 with --password',
      parse: identityField,
    },
    {
      flags: '--password <passcode>',
      description: 'the passcode of --user (type 2)',
      parse: identityField,
    },
  ];
}

/** `--accept-user` of `serve`. */
export function acceptUserOption(): OptionSpec {
  return {
    flags: '--accept-user <name[:password]>',
    description:
      'accept only associations whose user identity is listed: NAME alone accepts a user name without passcode (type 1), NAME:PASSWORD a user name and passcode (type 2)',
    parse: acceptedUser,
    repeatable: true,
  };
}
