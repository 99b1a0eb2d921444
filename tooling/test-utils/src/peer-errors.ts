/** Debian package that ships each peer program the launchers use. */
const PACKAGE_OF: Readonly<Record<string, string>> = { Orthanc: 'orthanc', openssl: 'openssl' };

/**
 * A peer program (DCMTK tool or Orthanc) is not on PATH. The message says how to get it, so a
 * failing interop test explains itself on a machine whose peers were never installed.
 */
export class PeerToolMissingError extends Error {
  /** Stable code for assertions: `DICOMNET_TEST_PEER_MISSING`. */
  readonly code = 'DICOMNET_TEST_PEER_MISSING';

  constructor(readonly command: string) {
    const debianPackage = PACKAGE_OF[command] ?? 'dcmtk';
    super(
      `${command} is not on PATH: run \`sudo bash scripts/install-peers.sh\` (Debian's ` +
        `dcmtk, orthanc and openssl; this one comes from '${debianPackage}'), or \`npm test\` as root`,
    );
    this.name = 'PeerToolMissingError';
  }
}

/**
 * A peer started but never became ready, or exited before it was; `output` holds the tail of
 * what it printed, which usually names the cause (a port in use, a bad config line).
 */
export class PeerStartError extends Error {
  /** Stable code for assertions: `DICOMNET_TEST_PEER_START`. */
  readonly code = 'DICOMNET_TEST_PEER_START';

  constructor(
    message: string,
    readonly output: string,
    options?: ErrorOptions,
  ) {
    super(output === '' ? message : `${message}\n--- peer output (tail) ---\n${output}`, options);
    this.name = 'PeerStartError';
  }
}

/** True if `error` is Node's "command not found" from spawn. */
export function isSpawnNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/** An Orthanc REST call answered with an HTTP error status; `body` is Orthanc's explanation. */
export class OrthancRestError extends Error {
  /** Stable code for assertions: `DICOMNET_TEST_ORTHANC_REST`. */
  readonly code = 'DICOMNET_TEST_ORTHANC_REST';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`Orthanc ${method} ${path} answered HTTP ${status}: ${body.slice(0, 2000)}`);
    this.name = 'OrthancRestError';
  }
}

/** A one-shot DCMTK utility (dump2dcm, dcmconv…) that a helper relies on failed. */
export class ToolFailedError extends Error {
  /** Stable code for assertions: `DICOMNET_TEST_TOOL_FAILED`. */
  readonly code = 'DICOMNET_TEST_TOOL_FAILED';

  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} ${args.join(' ')} exited with ${exitCode}: ${stderr.trim().slice(0, 2000)}`);
    this.name = 'ToolFailedError';
  }
}
