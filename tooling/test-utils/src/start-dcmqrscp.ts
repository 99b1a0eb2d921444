import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchOnFreePort } from './launch-on-free-port.js';
import type { DcmtkScp } from './launch-on-free-port.js';

/** A C-MOVE destination dcmqrscp may connect to; it must be in its HostTable (PEERS.md §2.3). */
export interface DcmqrscpMoveDestination {
  readonly aeTitle: string;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  readonly port: number;
}

/** Options of {@link startDcmqrscp}. */
export interface DcmqrscpOptions {
  /** The archive's AE title (AETable); default `QRSCP`. A wrong called AE is rejected. */
  readonly aeTitle?: string;
  /** C-MOVE destinations written into the HostTable; default none. */
  readonly moveDestinations?: readonly DcmqrscpMoveDestination[];
  /** `MaxPDUSize` of the config; default 16384. */
  readonly maxPduSize?: number;
  /** More dcmqrscp options: `--allow-shutdown`, `--disable-get`, `-XF`… Never `-s` (§0.3). */
  readonly extraArgs?: readonly string[];
  /** Bound on the wait until it answers C-ECHO; default 10 s. */
  readonly readyTimeoutMs?: number;
}

/** A running dcmqrscp archive, with its folder. */
export interface Dcmqrscp extends DcmtkScp {
  /** Its private folder (config and storage); removed by `stop()`. */
  readonly dir: string;
  /** The storage area: `index.dat` and the stored `SC_*.dcm` files. */
  readonly storageDir: string;
}

/**
 * Starts DCMTK's dcmqrscp (C-STORE, C-FIND, C-MOVE, C-GET archive) with a fresh config and
 * storage area in a temp folder, on a free port, any calling AE allowed. It runs in its default
 * fork mode (single-process mode crashes, PEERS.md §0.3) in its own process group, so `stop()`
 * also kills children still serving an association, then removes the folder.
 * @throws {@link PeerToolMissingError} if DCMTK is not installed.
 * @throws {@link PeerStartError} if it does not come up.
 */
export async function startDcmqrscp(options: DcmqrscpOptions = {}): Promise<Dcmqrscp> {
  const aeTitle = options.aeTitle ?? 'QRSCP';
  const dir = await mkdtemp(path.join(tmpdir(), 'dicomnet-dcmqrscp-'));
  const storageDir = path.join(dir, 'db');
  await mkdir(storageDir);
  const configFile = path.join(dir, 'dcmqrscp.cfg');
  try {
    const { port, peer } = await launchOnFreePort({
      command: 'dcmqrscp',
      argsFor: async (listenPort) => {
        await writeFile(configFile, dcmqrscpConfig(listenPort, aeTitle, options));
        return ['-c', configFile, ...(options.extraArgs ?? []), String(listenPort)];
      },
      aeTitle,
      cwd: dir,
      detached: true,
      // Also when stopAllPeers() stops it after a failed test.
      afterStop: () => rm(dir, { recursive: true, force: true }),
      ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    });
    return { port, aeTitle, peer, dir, storageDir, stop: () => peer.stop() };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The config file text (format of DCMTK's dcmqrscp.txt; the storage path is absolute here). */
function dcmqrscpConfig(port: number, aeTitle: string, options: DcmqrscpOptions): string {
  const destinations = (options.moveDestinations ?? []).map(
    (destination, index) =>
      `dest${index + 1} = (${destination.aeTitle}, ${destination.host ?? '127.0.0.1'}, ${destination.port})`,
  );
  return [
    `NetworkTCPPort  = ${port}`,
    `MaxPDUSize      = ${options.maxPduSize ?? 16384}`,
    'MaxAssociations = 16',
    '',
    'HostTable BEGIN',
    ...destinations,
    'HostTable END',
    '',
    'VendorTable BEGIN',
    'VendorTable END',
    '',
    'AETable BEGIN',
    // AE title, storage area, access, quota (max studies, max bytes per study), allowed peers.
    `${aeTitle} db RW (200, 1024mb) ANY`,
    'AETable END',
    '',
  ].join('\n');
}
