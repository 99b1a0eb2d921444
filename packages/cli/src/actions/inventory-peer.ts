// The peer form of `inventory show` and `diff`: `--peer AET@HOST:PORT --root UID`, with the
// inventory command's --aet, --via, --listen and --timeout when it has them. The command checked
// them (checkInventoryPeer) before this runs.
import type { InventoryPeerOptions } from '../commands/inventory.js';
import type { PeerTargetOptions } from './inventory-input.js';

/** The peer target options of a command line that gave `--peer` and `--root`. */
export function peerOptions(options: InventoryPeerOptions): PeerTargetOptions {
  const { peer, root } = options;
  if (peer === undefined || root === undefined) throw new TypeError('--peer and --root unchecked');
  return {
    peer,
    root,
    aet: options.aet ?? 'DICOMNET',
    via: options.via ?? 'get',
    ...(options.listen !== undefined && { listen: options.listen }),
    timeout: options.timeout ?? 30,
  };
}
