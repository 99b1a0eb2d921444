// Both ends of a retrieve test: our C-GET/C-MOVE SCP (AE OURQR, Study Root, Secondary Capture)
// and DCMTK's movescu asking it to move to movescu itself.
import { runTool, type ToolResult } from '@dicomnet/test-utils';
import { createServer } from '../../src/index.js';
import type { CGetRequest, DimseServer, MoveDestinations, RetrieveSet } from '../../src/index.js';
import { EXPLICIT, IMPLICIT, SECONDARY_CAPTURE } from './uids.js';

export const STUDY_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
export const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';

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

/**
 * Our retrieve SCP on a free port of 127.0.0.1, answering C-GET and C-MOVE with `answer`; close it
 * with `abortAll` and `close`.
 */
export async function startRetrieveScp(
  answer: (request: CGetRequest) => RetrieveSet,
  moveDestinations?: MoveDestinations,
): Promise<{ server: DimseServer; port: number }> {
  const server = createServer({
    aeTitles: ['OURQR'],
    contexts: [
      { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      { abstractSyntax: STUDY_ROOT_MOVE, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      // getscu proposes the storage SOP classes with the SCP role (PS3.4 C.4.3.1).
      {
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [EXPLICIT, IMPLICIT],
        requestorRoles: { scu: true, scp: true },
      },
    ],
    handlers: { get: answer, move: answer },
    ...(moveDestinations !== undefined && { moveDestinations }),
  });
  return { server, port: (await server.listen({ port: 0, host: '127.0.0.1' })).port };
}
