/** The IPC messages between the loopback benchmark and its receiver child process. */
import type { ReceiverMemory, ReceiverRound } from './loopback-receiver.js';

/** Parent → child. */
export type ToReceiver =
  { readonly type: 'arm'; readonly bytes: number } | { readonly type: 'close' };

/** Child → parent. */
export type FromReceiver =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'armed' }
  | ({ readonly type: 'done' } & ReceiverRound)
  | ({ readonly type: 'closed' } & ReceiverMemory)
  | { readonly type: 'failed'; readonly message: string };
