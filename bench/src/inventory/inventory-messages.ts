/** Messages between the inventory benchmark and its two children: the serving SCP and the C-ECHO client. */

/** How the serving child is set up (its argument 1, as JSON). */
export interface ServeConfig {
  /** The repository root (synthesised index). */
  readonly root: string;
  /** The SCP's transaction store (a new file per run). */
  readonly storePath: string;
  /** The SCP's AE title. */
  readonly aeTitle: string;
  /** Whether the repository fsyncs the Inventory instances it stores. */
  readonly fsync: boolean;
}

/** Event-loop delay of the serving process while measured, in ms. */
export interface EventLoopDelay {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Parent → serving child. */
export type ToServe =
  | { readonly type: 'measure-start' }
  | { readonly type: 'measure-stop' }
  | { readonly type: 'close' };

/** Serving child → parent. */
export type FromServe =
  | { readonly type: 'listening'; readonly port: number; readonly idleRssBytes: number }
  | { readonly type: 'measuring' }
  | {
      readonly type: 'measured';
      readonly eventLoop: EventLoopDelay;
      /** CPU time (user + system) of the child while measured. */
      readonly cpuMicros: number;
    }
  /** `resourceUsage().maxRSS`: the child's peak RSS over its life (one inventory). */
  | { readonly type: 'closed'; readonly peakRssBytes: number }
  | { readonly type: 'failed'; readonly message: string };

/** How the C-ECHO child is set up (its argument 1, as JSON). */
export interface EchoConfig {
  readonly port: number;
  readonly calledAeTitle: string;
  /** Pause between one C-ECHO-RSP and the next C-ECHO-RQ. */
  readonly intervalMs: number;
}

/** Parent → C-ECHO child. */
export type ToEcho = { readonly type: 'stop' };

/** Round trips of the C-ECHOs sent between start and stop, in ms. */
export interface EchoRoundTrips {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /**
   * The C-ECHO child's own event-loop delay: it has next to nothing to do, so this is the delay
   * the machine's load alone adds.
   */
  readonly ownEventLoop: EventLoopDelay;
}

/** C-ECHO child → parent. */
export type FromEcho =
  | { readonly type: 'ready' }
  | ({ readonly type: 'stopped' } & EchoRoundTrips)
  | { readonly type: 'failed'; readonly message: string };
