import type { DataSet } from '@dicomnet/data';
import type { ServiceName } from '@dicomnet/status-codes';
import type { CGetRsp, CMoveRsp } from '../command/index.js';
import { DimseStatusError, RetrieveStatusError } from '../errors.js';
import type { RetrieveCounts } from '../errors.js';
import type { DimseResult } from '../services/results.js';
import { resultOf } from '../services/results.js';

/** The sub-operation counts of a C-GET or C-MOVE Pending response (PS3.4 C.4.2.3.1). */
export interface SuboperationProgress {
  /** Number of Remaining Sub-operations (0000,1020); the peer may leave it out. */
  readonly remaining: number | undefined;
  /** Number of Completed Sub-operations (0000,1021). */
  readonly completed: number;
  /** Number of Failed Sub-operations (0000,1022). */
  readonly failed: number;
  /** Number of Warning Sub-operations (0000,1023). */
  readonly warning: number;
}

/** The outcome of a C-GET or C-MOVE the peer ended with Success or Warning. */
export interface RetrieveResult extends DimseResult, RetrieveCounts {
  /**
   * Failed SOP Instance UID List (0008,0058) of the final response (PS3.4 C.4.2.1.4.2), empty
   * when the peer sent none.
   */
  readonly failedSopInstanceUids: readonly string[];
}

const FAILED_SOP_INSTANCE_UID_LIST = '00080058';

/** The counts a C-GET-RSP or C-MOVE-RSP carries; absent counts are 0. */
export function progressOf(message: CGetRsp | CMoveRsp): SuboperationProgress {
  return {
    remaining: message.numberOfRemainingSuboperations,
    completed: message.numberOfCompletedSuboperations ?? 0,
    failed: message.numberOfFailedSuboperations ?? 0,
    warning: message.numberOfWarningSuboperations ?? 0,
  };
}

/**
 * A final C-GET-RSP or C-MOVE-RSP as a result, with its counts and Failed SOP Instance UID List.
 * @throws {@link RetrieveStatusError} for a Failure or Cancel status, carrying the same counts
 *   and list (PS3.4 C.4.2.3.1, C.4.3.3.1: a Cancel or Failure response reports how many
 *   sub-operations completed, failed and warned before it).
 */
export function retrieveResultOf(
  operation: string,
  message: CGetRsp | CMoveRsp,
  identifier: DataSet | undefined,
  service: ServiceName,
): RetrieveResult {
  const failedUids = identifier?.[FAILED_SOP_INSTANCE_UID_LIST]?.Value ?? [];
  const counts: RetrieveCounts = {
    ...progressOf(message),
    failedSopInstanceUids: failedUids.filter((uid): uid is string => typeof uid === 'string'),
  };
  let result: DimseResult;
  try {
    result = resultOf(operation, message, service);
  } catch (error) {
    if (!(error instanceof DimseStatusError)) throw error;
    throw new RetrieveStatusError(operation, error.status, counts, error.details, service);
  }
  return { ...result, ...counts };
}
