// The one place `dicomnet serve` writes its lines. AE titles, UIDs, user names and error texts in
// them come from peers, so both forms go through the terminal-safe writers.
import type { CommandIo } from '../command-io.js';
import { terminalSafe, terminalSafeJson } from '../terminal-safe.js';

/** Writes one event: a JSON object with `--json`, else the human line. */
export type ServeLog = (event: Record<string, unknown>, text: string) => void;

/** The log of `serve`, and how to write out what it holds. */
export interface BufferedServeLog {
  readonly log: ServeLog;
  /** Writes the lines held now; call it before the process ends. */
  readonly flush: () => void;
}

/**
 * How long a line may wait for the write of its group. One write per line cost the main thread
 * a pipe write and the reader's wake-up per C-STORE, before its response (the response leaves
 * on the next tick, the line's write ran in the same turn): about a tenth of a small store's
 * time here.
 */
const FLUSH_DELAY_MS = 20;
/** Most lines held; a burst beyond this is written at once (memory stays bounded). */
const MAX_HELD = 256;

interface Held {
  readonly at: number;
  readonly event: Record<string, unknown>;
  readonly text: string;
}

/**
 * The log of `serve` on `io.stdout`. Lines are formatted and written in groups, within
 * {@link FLUSH_DELAY_MS} ms of their event and in its order, each stamped with the time of its
 * event: nothing of a line's cost stays on the path of the response it reports.
 */
export function createServeLog(io: CommandIo, json: boolean): BufferedServeLog {
  let held: Held[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (held.length === 0) return;
    const lines = held;
    held = [];
    let text = '';
    for (const { at, event, text: line } of lines) {
      text += json
        ? `${terminalSafeJson({ time: new Date(at).toISOString(), ...event })}\n`
        : `${terminalSafe(line)}\n`;
    }
    io.stdout.write(text);
  };
  const log: ServeLog = (event, text) => {
    held.push({ at: Date.now(), event, text });
    if (held.length >= MAX_HELD) flush();
    else timer ??= setTimeout(flush, FLUSH_DELAY_MS);
  };
  return { log, flush };
}

/** Writes a failure that stops `serve` to `io.stderr`. */
export function writeServeFailure(io: CommandIo, text: string): void {
  io.stderr.write(`dicomnet serve: ${terminalSafe(text)}\n`);
}
