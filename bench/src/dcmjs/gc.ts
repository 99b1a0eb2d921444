/** Garbage collection between timed sections, when node runs with --expose-gc. */

/** Runs a full collection if `global.gc` is exposed; otherwise does nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.(); // present only under --expose-gc
}

/** Whether collections between timed sections happen (node --expose-gc). */
export function gcExposed(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}
