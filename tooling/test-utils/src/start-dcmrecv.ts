import { mkdir } from 'node:fs/promises';
import { launchOnFreePort } from './launch-on-free-port.js';
import type { DcmtkScp } from './launch-on-free-port.js';

/** Debian's storage profile file; dcmrecv accepts only Verification without one (PEERS.md §0.4). */
export const DCMTK_STORESCP_CONFIG = '/etc/dcmtk/storescp.cfg';

/** Options of {@link startDcmrecv}. */
export interface DcmrecvOptions {
  /** Our AE title (`-aet`); default `DCMRECV`. dcmrecv checks the called AE unless `-uca`. */
  readonly aeTitle?: string;
  /** Where received files go (`-od`); created if missing. */
  readonly outputDir: string;
  /** Association profile: config file and profile name; default Debian's `storescp.cfg`, `Default`. */
  readonly profile?: { readonly file: string; readonly name: string };
  /** More dcmrecv options before the port: `+fu`, `--ignore`, `-uca`, `+v`… (PEERS.md §2.3). */
  readonly extraArgs?: readonly string[];
  /** Bound on the wait until it answers C-ECHO; default 10 s. */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts DCMTK's dcmrecv (Storage SCP with documented exit codes) on a free port of 127.0.0.1
 * with `-xf /etc/dcmtk/storescp.cfg Default`, and waits until it answers C-ECHO.
 * @throws {@link PeerToolMissingError} if DCMTK is not installed.
 * @throws {@link PeerStartError} if it does not come up (exit 64: cannot listen, 66: bad config).
 */
export async function startDcmrecv(options: DcmrecvOptions): Promise<DcmtkScp> {
  const aeTitle = options.aeTitle ?? 'DCMRECV';
  const profile = options.profile ?? { file: DCMTK_STORESCP_CONFIG, name: 'Default' };
  await mkdir(options.outputDir, { recursive: true });
  const { port, peer } = await launchOnFreePort({
    command: 'dcmrecv',
    argsFor: (listenPort) => [
      '-aet',
      aeTitle,
      '-xf',
      profile.file,
      profile.name,
      '-od',
      options.outputDir,
      ...(options.extraArgs ?? []),
      String(listenPort),
    ],
    aeTitle,
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
  });
  return { port, aeTitle, peer, stop: () => peer.stop() };
}
