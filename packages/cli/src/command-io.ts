import type { Writable } from 'node:stream';

/** What a command may touch of its process: its streams and its exit status. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Whether stdout is a terminal (progress bars only then). */
  readonly isTty: boolean;
  setExitCode(code: number): void;
  /** Settles when the user asks to stop (Ctrl-C), for long-running commands. */
  readonly interrupted: AbortSignal;
}
