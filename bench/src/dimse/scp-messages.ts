/** The IPC messages between the DIMSE benchmarks and their dicomnet SCP child process. */

/** What the child serves: C-ECHO always, C-STORE into `outputDir` through storeToDirectory. */
export interface ScpConfig {
  readonly outputDir: string;
  /** storeToDirectory's `fsync` option (its default is true). */
  readonly fsync: boolean;
  /**
   * createServer's `maxOperationsPerformed`: the asynchronous operations window it grants
   * (PS3.7 D.3.3.3); default 1 (none negotiated).
   */
  readonly maxOperationsPerformed?: number;
}

/** Memory of the SCP process. */
export interface ScpMemory {
  /** RSS once listening, before any association, in bytes. */
  readonly idleRssBytes: number;
  /** Peak RSS over the process's life (`resourceUsage().maxRSS`), in bytes. */
  readonly peakRssBytes: number;
}

/** Parent → child. */
export type ToScp = { readonly type: 'usage' } | { readonly type: 'close' };

/** Child → parent. */
export type FromScp =
  | { readonly type: 'listening'; readonly port: number }
  /** CPU time of the child so far (user + system, all threads), in µs. */
  | { readonly type: 'usage'; readonly cpuMicros: number }
  | ({ readonly type: 'closed' } & ScpMemory)
  | { readonly type: 'failed'; readonly message: string };
