// DCMTK's movescu asking our C-MOVE SCP (AE OURQR, Study Root) to move to movescu itself.
import { runTool, type ToolResult } from '@dicomnet/test-utils';

const TIMEOUTS = ['-to', '5', '-ta', '10', '-td', '30'];

/**
 * Runs movescu as AE MOVESCU against our SCP at `port`, as its own move destination: it listens
 * on `movePort` and writes what it receives into `out`. `extra` goes before the keys.
 */
export function movescuToItself(options: {
  readonly port: number;
  readonly movePort: number;
  readonly out: string;
  readonly keys: readonly string[];
  readonly extra?: readonly string[];
}): Promise<ToolResult> {
  return runTool('movescu', [
    ...TIMEOUTS,
    '-S',
    ...(options.extra ?? []),
    '-aet',
    'MOVESCU',
    '-aec',
    'OURQR',
    '-aem',
    'MOVESCU',
    '+P',
    String(options.movePort),
    '-od',
    options.out,
    ...options.keys,
    '127.0.0.1',
    String(options.port),
  ]);
}
