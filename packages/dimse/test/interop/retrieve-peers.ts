// Our C-GET/C-MOVE SCP of the retrieve tests (AE OURQR, Study Root, Secondary Capture), which
// DCMTK's getscu and movescu (test-utils' movescuToItself) ask.
import { createServer } from '../../src/index.js';
import type { CGetRequest, DimseServer, MoveDestinations, RetrieveSet } from '../../src/index.js';
import { EXPLICIT, IMPLICIT, SECONDARY_CAPTURE } from './uids.js';

export const STUDY_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
export const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';

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
