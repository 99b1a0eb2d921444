/** Request/answer messaging with a forked benchmark child (an SCP, a receiver). */
import type { ChildProcess } from 'node:child_process';

/** How long a child may take to answer any request. */
const ANSWER_TIMEOUT_MS = 60_000;

/**
 * The child's next message of `type`; rejects if the child reports `failed`, exits or stays
 * silent for a minute. `label` names the child in errors.
 */
export function nextMessage<M extends { readonly type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
  label: string,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`${label}: no '${type}' within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
    const onMessage = (message: M): void => {
      if (message.type === 'failed') {
        finish(new Error(`${label} failed: ${(message as { message?: string }).message}`));
      } else if (message.type === type) {
        finish(undefined, message as Extract<M, { type: T }>); // the equality just tested
      }
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`${label} exited (${code}) before '${type}'`));
    function finish(error: Error | undefined, message?: Extract<M, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error !== undefined || message === undefined) reject(error ?? new Error('no message'));
      else resolve(message);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Resolves once the child process has exited. */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
