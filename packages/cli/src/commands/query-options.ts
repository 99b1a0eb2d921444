import type { OptionSpec } from '../command-line/command-spec.js';
import { InvalidValueError } from '../command-line/command-spec.js';
import { networkOptions } from './common-options.js';
import type { NetworkOptions } from './common-options.js';
import { identityOptions } from './identity-options.js';
import type { IdentityCommandOptions } from './identity-options.js';
import { queryKey } from './query-keys.js';
import type { QueryKey } from './query-keys.js';
import { tlsOptions } from './tls-options.js';
import type { TlsCommandOptions } from './tls-options.js';

/** The Query/Retrieve levels (PS3.4 C.6.1.1, C.6.2.1). */
export type QueryLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';

/** The options `find`, `get` and `move` share. */
export interface QueryCommandOptions
  extends NetworkOptions, TlsCommandOptions, IdentityCommandOptions {
  readonly key: readonly QueryKey[];
  readonly level: QueryLevel;
  readonly model: 'patient' | 'study';
}

function level(value: string): QueryLevel {
  const upper = value.toUpperCase();
  if (upper === 'PATIENT' || upper === 'STUDY' || upper === 'SERIES' || upper === 'IMAGE')
    return upper;
  throw new InvalidValueError('PATIENT, STUDY, SERIES or IMAGE');
}

function model(value: string): 'patient' | 'study' {
  if (value === 'patient' || value === 'study') return value;
  throw new InvalidValueError('patient or study');
}

/** `-k`, `--level`, `--model`, and the network, TLS and identity options. */
export function queryOptions(): OptionSpec[] {
  return [
    {
      flags: '--key <key[=value]>',
      short: 'k',
      description:
        'a key of the identifier: Keyword=value to match, Keyword alone to have it returned; a tag gggg,eeee works too (repeatable)',
      parse: queryKey,
      repeatable: true,
    },
    {
      flags: '--level <level>',
      description: 'Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE',
      default: 'STUDY',
      parse: level,
    },
    {
      flags: '--model <model>',
      description: 'information model: study (Study Root) or patient (Patient Root)',
      default: 'study',
      parse: model,
    },
    ...networkOptions(),
    ...tlsOptions('scu'),
    ...identityOptions(),
  ];
}
