import type { DataSet } from '@dicomnet/data';
import type { CFindRq } from '../command/index.js';
import type { OutgoingResponse } from '../association/incoming-requests.js';
import type { FindMatches } from './handlers.js';
import { replyOf, statusFields } from './results.js';
import type { StatusReply } from './results.js';

const PENDING = 0xff00; // PS3.4 Table C.4-1: Matches are continuing
const CANCEL = 0xfe00; // PS3.4 Table C.4-1: Matching terminated due to Cancel request

/**
 * The responses to a C-FIND (PS3.4 C.4.1.2, C.4.1.3): one Pending response per match the
 * handler yields, taken only when the previous one has been written, then the final response
 * with the status the handler returned. Once the peer cancels, no further match is taken and
 * the final status is Cancel.
 */
export async function* findResponses(
  matches: FindMatches,
  request: CFindRq,
  encode: (identifier: DataSet) => Uint8Array,
  cancel: AbortSignal | undefined,
): AsyncGenerator<OutgoingResponse> {
  const affectedSopClassUid = request.affectedSopClassUid;
  const iterator =
    Symbol.asyncIterator in matches ? matches[Symbol.asyncIterator]() : matches[Symbol.iterator]();
  // A function, not a narrowed property: the peer may cancel while the handler is awaited.
  const cancelled = (): boolean => cancel?.aborted === true;
  let final: StatusReply | undefined;
  try {
    for (;;) {
      if (cancelled()) break;
      const next = await iterator.next();
      if (next.done === true) {
        // A handler that ends quietly on its aborted signal was cancelled, not finished: the
        // answer is Cancel (PS3.4 C.4.1.3.2); a status it returns is its own and stands.
        final = next.value === undefined && cancelled() ? { status: CANCEL } : replyOf(next.value);
        break;
      }
      if (cancelled()) break;
      yield {
        message: { kind: 'C-FIND-RSP', affectedSopClassUid, status: PENDING, hasDataSet: true },
        dataSet: encode(next.value),
      };
    }
  } finally {
    // Stopped early (cancelled, or the association ended): let the handler clean up.
    if (final === undefined) await iterator.return?.();
  }
  yield {
    message: {
      kind: 'C-FIND-RSP',
      affectedSopClassUid,
      hasDataSet: false,
      ...statusFields(final ?? { status: CANCEL }),
    },
  };
}
