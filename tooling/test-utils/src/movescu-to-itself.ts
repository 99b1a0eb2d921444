// DCMTK's movescu as its own move destination: the usual way to test a C-MOVE SCP with a real
// peer on one machine.
import { runTool, type ToolResult } from './run-tool.js';

/** Options of {@link movescuToItself}. */
export interface MovescuToItselfOptions {
  /** The C-MOVE SCP's port on 127.0.0.1; its AE title is `calledAeTitle`. */
  readonly port: number;
  /** Where movescu listens for the C-STORE sub-operations, as AE MOVESCU. */
  readonly movePort: number;
  /** The folder movescu writes what it receives into. */
  readonly out: string;
  /** The `-k` options of the request. */
  readonly keys: readonly string[];
  /** Default OURQR. */
  readonly calledAeTitle?: string;
  /** The information model: `-P` Patient Root, `-S` Study Root (default). */
  readonly model?: '-P' | '-S';
  /** More options, before the keys (e.g. `+xi`). */
  readonly extra?: readonly string[];
  /** Default 30 s. */
  readonly timeoutMs?: number;
}

/** Runs movescu as AE MOVESCU, asking the SCP at `port` to move to movescu itself. */
export function movescuToItself(options: MovescuToItselfOptions): Promise<ToolResult> {
  return runTool(
    'movescu',
    [
      ...['-to', '5', '-ta', '10', '-td', '30'],
      options.model ?? '-S',
      ...(options.extra ?? []),
      ...['-aet', 'MOVESCU', '-aec', options.calledAeTitle ?? 'OURQR', '-aem', 'MOVESCU'],
      ...['+P', String(options.movePort), '-od', options.out],
      ...options.keys,
      '127.0.0.1',
      String(options.port),
    ],
    { timeoutMs: options.timeoutMs ?? 30_000 },
  );
}
