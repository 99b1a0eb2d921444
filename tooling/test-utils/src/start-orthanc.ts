import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { OrthancRestError, PeerStartError } from './peer-errors.js';
import { spawnPeer } from './spawn-peer.js';
import type { PeerExit, PeerProcess } from './spawn-peer.js';
import { waitForDicom } from './wait-for-dicom.js';

/** A remote AE Orthanc may connect to (its `DicomModalities` entry, PEERS.md §3.1). */
export interface OrthancModality {
  /** The AE title of the remote SCP (for us: our listening AE). */
  readonly aet: string;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  readonly port: number;
  /** Allow N-ACTION and N-EVENT-REPORT (storage commitment); Orthanc's default is true. */
  readonly allowStorageCommitment?: boolean;
}

/** Options of {@link startOrthanc}. */
export interface OrthancOptions {
  /** Orthanc's own AE title (`DicomAet`); default `ORTHANC`. The called AE is checked. */
  readonly aeTitle?: string;
  /** `DicomModalities`, by the symbolic name used in REST paths (`/modalities/<name>/store`). */
  readonly modalities?: Readonly<Record<string, OrthancModality>>;
  /** Keys laid over the generated configuration (shallow merge). */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
  /** Command-line flags such as `--verbose-dicom` or `--trace-dicom`. */
  readonly extraArgs?: readonly string[];
  /** Bound on the wait for `GET /system`; default 20 s. */
  readonly readyTimeoutMs?: number;
  /** Grace after SIGTERM before SIGKILL; default 15 s (a clean stop takes ~4 s, §3.2). */
  readonly stopTimeoutMs?: number;
}

/** A running Orthanc with its own storage and ports. */
export interface OrthancPeer {
  readonly aeTitle: string;
  readonly dicomPort: number;
  readonly httpPort: number;
  /** Its private folder (config and storage); removed by `stop()`. */
  readonly dir: string;
  readonly peer: PeerProcess;
  /**
   * Calls Orthanc's REST API on 127.0.0.1 and parses the JSON answer (`undefined` for an empty
   * body, the text for a non-JSON one). A `Uint8Array` body is sent as is (`POST /instances`),
   * a string as is, anything else as JSON. `T` is what the caller expects; it is not checked.
   * @throws {@link OrthancRestError} on an HTTP error status.
   */
  rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T>;
  /** SIGTERM, wait until the PID is gone (seconds: it holds an SQLite lock), remove the folder. */
  stop(): Promise<PeerExit>;
}

/**
 * Starts a private Orthanc on two free ports of 127.0.0.1, with the test configuration of
 * PEERS.md §3.1 written into a temp folder, and waits until `GET /system` answers and its DICOM
 * port answers C-ECHO. Never uses the system service. Retries once if a port was taken.
 * @throws {@link PeerToolMissingError} if Orthanc is not installed.
 * @throws {@link PeerStartError} if it does not come up (the error carries its log).
 */
export async function startOrthanc(options: OrthancOptions = {}): Promise<OrthancPeer> {
  for (let attempt = 1; ; attempt++) {
    const dir = await mkdtemp(path.join(tmpdir(), 'dicomnet-orthanc-'));
    try {
      return await startOnce(dir, options);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      const portTaken = error instanceof PeerStartError && /already in use/i.test(error.output);
      if (attempt >= 2 || !portTaken) throw error;
    }
  }
}

async function startOnce(dir: string, options: OrthancOptions): Promise<OrthancPeer> {
  const aeTitle = options.aeTitle ?? 'ORTHANC';
  const dicomPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === dicomPort) httpPort = await freePort();
  const configFile = path.join(dir, 'orthanc.json');
  const config = orthancConfig({ dir, aeTitle, dicomPort, httpPort, options });
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const peer = await spawnPeer('Orthanc', [...(options.extraArgs ?? []), configFile], {
    cwd: dir,
    stopTimeoutMs: options.stopTimeoutMs ?? 15_000,
    // Runs once the PID is gone, i.e. after Orthanc released its SQLite lock (§0.5); also when
    // stopAllPeers() stops it after a failed test.
    afterStop: () => rm(dir, { recursive: true, force: true }),
  });
  const rest = makeRest(httpPort);
  try {
    await waitForSystem(peer, httpPort, options.readyTimeoutMs ?? 20_000);
    await waitForDicom(dicomPort, { aeTitle, peer, timeoutMs: 5_000 });
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return { aeTitle, dicomPort, httpPort, dir, peer, rest, stop: () => peer.stop() };
}

interface ConfigInput {
  readonly dir: string;
  readonly aeTitle: string;
  readonly dicomPort: number;
  readonly httpPort: number;
  readonly options: OrthancOptions;
}

/** PEERS.md §3.1 with real paths and ports. */
function orthancConfig({
  dir,
  aeTitle,
  dicomPort,
  httpPort,
  options,
}: ConfigInput): Record<string, unknown> {
  const storage = path.join(dir, 'storage');
  const modalities: Record<string, Record<string, unknown>> = {};
  for (const [name, modality] of Object.entries(options.modalities ?? {})) {
    modalities[name] = {
      AET: modality.aet,
      Host: modality.host ?? '127.0.0.1',
      Port: modality.port,
      ...(modality.allowStorageCommitment === undefined
        ? {}
        : { AllowStorageCommitment: modality.allowStorageCommitment }),
    };
  }
  return {
    Name: 'DICOMNET_TEST',
    StorageDirectory: storage,
    IndexDirectory: storage,
    DicomAet: aeTitle,
    DicomPort: dicomPort,
    HttpPort: httpPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomCheckCalledAet: true,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowMove: true,
    DicomAlwaysAllowGet: true,
    DicomModalities: modalities,
    DicomScuTimeout: 10,
    DicomScpTimeout: 30,
    StorageCommitmentReportsSize: 100,
    SaveJobs: false,
    ConcurrentJobs: 2,
    HttpThreadsCount: 10,
    DicomThreadsCount: 4,
    OverwriteInstances: true,
    Plugins: [],
    ...options.extraConfig,
  };
}

function makeRest(httpPort: number): OrthancPeer['rest'] {
  return async <T>(method: string, urlPath: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method, signal: AbortSignal.timeout(30_000) };
    if (body instanceof Uint8Array) {
      init.body = body;
      init.headers = { 'content-type': 'application/dicom' };
    } else if (typeof body === 'string') {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetch(`http://127.0.0.1:${httpPort}${urlPath}`, init);
    const text = await response.text();
    if (!response.ok) throw new OrthancRestError(method, urlPath, response.status, text);
    // The caller names the shape it expects (a test helper, not a validated API).
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  };
}

/** Polls `GET /system` every 50 ms, each poll bounded to 1 s, until it answers 200 (§3.2). */
async function waitForSystem(
  peer: PeerProcess,
  httpPort: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem: unknown;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${httpPort}/system`, {
        signal: AbortSignal.timeout(1_000),
      });
      await response.arrayBuffer();
      if (response.ok) return;
      lastProblem = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastProblem = error;
    }
    const status = peer.exitStatus();
    if (status !== undefined) {
      throw new PeerStartError(
        `Orthanc exited (code ${status.code}, signal ${status.signal}) before answering GET /system`,
        peer.output(),
        { cause: lastProblem },
      );
    }
    if (Date.now() >= deadline) {
      throw new PeerStartError(
        `Orthanc did not answer GET /system within ${timeoutMs} ms`,
        peer.output(),
        {
          cause: lastProblem,
        },
      );
    }
    await sleep(50);
  }
}
