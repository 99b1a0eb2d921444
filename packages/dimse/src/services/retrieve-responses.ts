import type { DataSet } from '@dicomnet/data';
import type { OutgoingResponse } from '../association/incoming-requests.js';
import type { StoreInstance } from '../client/dimse-client.js';
import type { DimseRequest } from '../command/index.js';
import { DimseStatusError, NoPresentationContextError } from '../errors.js';
import type { HandlerResult, RetrieveAnswer, RetrieveSet } from './handlers.js';
import { replyOf, statusFields } from './results.js';
import type { DimseResult, StatusReply } from './results.js';

const PENDING = 0xff00; // PS3.4 Table C.4-2/C.4-3: Sub-operations are continuing
const SUCCESS = 0x0000;
const CANCEL = 0xfe00; // Sub-operations terminated due to Cancel Indication
const WARNING = 0xb000; // Sub-operations Complete - One or more Failures or Warnings
const UNABLE_TO_PERFORM = 0xa702; // Refused: Out of resources - Unable to perform sub-operations
const FAILED_SOP_INSTANCE_UID_LIST = '00080058';

/** How one C-STORE sub-operation is performed: on the request's association, or another. */
export type SubOperation = (instance: StoreInstance) => Promise<DimseResult>;

/** What {@link retrieveResponses} needs besides the instances. */
export interface RetrieveOperation {
  readonly kind: 'C-GET-RSP' | 'C-MOVE-RSP';
  readonly affectedSopClassUid: string;
  readonly store: SubOperation;
  /** Encodes the Failed SOP Instance UID List identifier of the final response. */
  readonly encode: (identifier: DataSet) => Uint8Array;
  /** Aborted by the peer's C-CANCEL-RQ. */
  readonly cancel: AbortSignal | undefined;
}

/**
 * Runs the C-STORE sub-operations of a C-GET or C-MOVE one at a time (PS3.4 C.4.2.3, C.4.3.3)
 * and makes its responses: a Pending one with the four counts after each sub-operation, then the
 * final one: Success when every sub-operation succeeded, Warning 0xB000 when some failed or
 * warned, 0xA702 when all failed, 0xFE00 when the peer cancelled; with a Failed SOP Instance UID
 * List unless it is Success (PS3.4 C.4.2.1.4.2, C.4.3.1.3.2).
 * @throws For C-GET, what a sub-operation throws other than a failure status or a missing
 *   context: the association it runs on is gone.
 */
export async function* retrieveResponses(
  set: RetrieveSet,
  operation: RetrieveOperation,
): AsyncGenerator<OutgoingResponse> {
  const { kind, affectedSopClassUid } = operation;
  const cancelled = (): boolean => operation.cancel?.aborted === true;
  // A sub-operation that fails otherwise than by a status: for C-MOVE the destination cannot be
  // reached or its association broke, which fails it and every instance after it, untried; for
  // C-GET it is the requester's own association breaking, and is thrown.
  const failRestOnError = kind === 'C-MOVE-RSP';
  let completed = 0;
  let failed = 0;
  let warning = 0;
  const failedUids: string[] = [];
  let wasCancelled = false;
  let broken: Error | undefined;
  for await (const instance of set.instances) {
    if (cancelled()) {
      wasCancelled = true;
      break;
    }
    if (broken !== undefined) {
      failed++;
      failedUids.push(instance.sopInstanceUid);
      continue;
    }
    try {
      const result = await operation.store(instance);
      if (result.category === 'Warning') warning++;
      else completed++;
    } catch (error) {
      // A refusal of this one instance; anything else ends the whole retrieve.
      const refused =
        error instanceof DimseStatusError || error instanceof NoPresentationContextError;
      if (!refused && !failRestOnError) throw error;
      if (!refused) broken = error instanceof Error ? error : new Error(String(error));
      failed++;
      failedUids.push(instance.sopInstanceUid);
    }
    yield {
      message: {
        kind,
        affectedSopClassUid,
        status: PENDING,
        numberOfRemainingSuboperations: Math.max(0, set.total - completed - failed - warning),
        numberOfCompletedSuboperations: completed,
        numberOfFailedSuboperations: failed,
        numberOfWarningSuboperations: warning,
        hasDataSet: false,
      },
    };
  }
  // Instances that ran out early on the aborted signal: cancelled too (PS3.4 C.4.2.3.1, C.4.3.3.1).
  if (cancelled() && completed + failed + warning < set.total) wasCancelled = true;
  const status = wasCancelled
    ? CANCEL
    : failed > 0 && completed + warning === 0
      ? UNABLE_TO_PERFORM
      : failed > 0 || warning > 0
        ? WARNING
        : SUCCESS;
  const dataSet =
    status === SUCCESS
      ? undefined
      : operation.encode({ [FAILED_SOP_INSTANCE_UID_LIST]: { vr: 'UI', Value: failedUids } });
  yield {
    message: {
      kind,
      affectedSopClassUid,
      status,
      ...(wasCancelled && {
        numberOfRemainingSuboperations: Math.max(0, set.total - completed - failed - warning),
      }),
      numberOfCompletedSuboperations: completed,
      numberOfFailedSuboperations: failed,
      numberOfWarningSuboperations: warning,
      ...(broken !== undefined && { errorComment: `sub-operations failed: ${broken.message}` }),
      hasDataSet: dataSet !== undefined,
    },
    ...(dataSet !== undefined && { dataSet }),
  };
}

/** A handler's answer as a set of instances, or the status that refuses the request. */
export function retrieveSetOf(answer: RetrieveAnswer): RetrieveSet | StatusReply {
  if (Array.isArray(answer)) return { total: answer.length, instances: answer };
  if (typeof answer === 'object' && answer !== null && 'instances' in answer) return answer;
  const reply = replyOf(answer as HandlerResult); // the rest of RetrieveAnswer
  // Nothing to send and no refusal: a retrieve of nothing, which succeeds with no sub-operation.
  return reply.status === 0 ? { total: 0, instances: [] } : reply;
}

/** The only response to a C-GET or C-MOVE refused before any sub-operation. */
export function retrieveRefusal(
  message: Extract<DimseRequest, { kind: 'C-GET-RQ' | 'C-MOVE-RQ' }>,
  reply: StatusReply,
): OutgoingResponse {
  return {
    message: {
      kind: message.kind === 'C-GET-RQ' ? 'C-GET-RSP' : 'C-MOVE-RSP',
      affectedSopClassUid: message.affectedSopClassUid,
      hasDataSet: false,
      ...statusFields(reply),
    },
  };
}

/** `responses`, then `close()` however they end (the association to a C-MOVE destination). */
export async function* closingAfter(
  responses: AsyncGenerator<OutgoingResponse>,
  close: () => Promise<void>,
): AsyncGenerator<OutgoingResponse> {
  try {
    yield* responses;
  } finally {
    await close();
  }
}
