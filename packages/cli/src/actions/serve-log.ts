// The one place `dicomnet serve` writes its lines. AE titles, UIDs, user names and error texts in
// them come from peers, so both forms go through the terminal-safe writers.
import type { CommandIo } from '../command-io.js';
import { terminalSafe, terminalSafeJson } from '../terminal-safe.js';

/** Writes one event: a JSON object with `--json`, else the human line. */
export type ServeLog = (event: Record<string, unknown>, text: string) => void;

/** The log of `serve` on `io.stdout`. */
export function createServeLog(io: CommandIo, json: boolean): ServeLog {
  return (event, text) => {
    io.stdout.write(
      json
        ? `${terminalSafeJson({ time: new Date().toISOString(), ...event })}\n`
        : `${terminalSafe(text)}\n`,
    );
  };
}

/** Writes a failure that stops `serve` to `io.stderr`. */
export function writeServeFailure(io: CommandIo, text: string): void {
  io.stderr.write(`dicomnet serve: ${terminalSafe(text)}\n`);
}
