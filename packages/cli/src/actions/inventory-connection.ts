// What `dicomnet inventory request` and the steering subcommands share: the SCP's connection
// settings from the command line, and how a response or an error is told.
import type { ActionOutcome, InventoryPeer } from '@dicomnet/storage-management';
import { formatStatus } from '@dicomnet/status-codes';
import type { CommandIo } from '../command-io.js';
import type { InventoryRequestOptions } from '../commands/inventory-request.js';
import { keyName } from '../commands/query-keys.js';
import { peerOptions, type PeerOptions } from './peer-options.js';

/** The SCP's address and connection settings, and ours. */
export async function peerOf(
  host: string,
  port: number,
  options: InventoryRequestOptions,
): Promise<{ peer: InventoryPeer; connection: Omit<PeerOptions, 'host' | 'port'> }> {
  // The subcommands refuse to run without --called.
  const settings = await peerOptions(host, port, { ...options, called: options.called as string });
  const { callingAeTitle: _calling, ...peer } = settings;
  const { host: _host, port: _port, ...connection } = settings;
  return { peer, connection };
}

/** `name: 0x0000 Success`, the Error Comment, and the keys a 0xB010 names. */
export function describeOutcome(name: string, outcome: ActionOutcome): string {
  const keys =
    outcome.attributeIdentifierList.length > 0
      ? `; keys the SCP cannot match, ignored: ${outcome.attributeIdentifierList.map(keyName).join(', ')}`
      : '';
  const comment = outcome.errorComment === undefined ? '' : ` (${outcome.errorComment})`;
  return `${name}: ${formatStatus(outcome.status)} ${outcome.meaning}${comment}${keys}`;
}

/** What went wrong, or `interrupted` after Ctrl-C. */
export function describeError(error: unknown, io: CommandIo | undefined): string {
  if (io?.interrupted.aborted === true) return 'interrupted';
  return error instanceof Error ? error.message : String(error);
}
