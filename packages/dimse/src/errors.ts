import { DicomnetError } from '@dicomnet/pdu';
import type { StatusCategory } from '@dicomnet/status-codes';
import { describeStatus, formatStatus, statusCategory } from '@dicomnet/status-codes';
import type { ServiceName } from '@dicomnet/status-codes';

/** What a response said besides its status (PS3.7 Annex C companion elements). */
export interface StatusDetails {
  readonly errorComment?: string;
  readonly errorId?: number;
  readonly offendingElement?: readonly number[];
  /** Attribute Identifier List (0000,1005), e.g. with 0120H Missing Attribute (PS3.7 C.5.13). */
  readonly attributeIdentifierList?: readonly number[];
  /** Action Type ID (0000,1008) an N-ACTION-RSP echoed (PS3.7 C.5.10, C.5.16, C.5.24). */
  readonly actionTypeId?: number;
  /** Event Type ID (0000,1002) an N-EVENT-REPORT-RSP echoed (PS3.7 C.5.10, C.5.16, C.5.18). */
  readonly eventTypeId?: number;
  /** Affected SOP Class UID (0000,0002) of the failure response (e.g. C.5.7, C.5.20). */
  readonly affectedSopClassUid?: string;
  /** Affected SOP Instance UID (0000,1000) of the failure response (e.g. C.5.7, C.5.12, C.5.19). */
  readonly affectedSopInstanceUid?: string;
}

/**
 * The peer answered with a Failure (or Cancel) status (PS3.7 Annex C). `status` is the code,
 * `meaning` its description in the service's context from @dicomnet/status-codes.
 */
export class DimseStatusError extends DicomnetError {
  readonly category: StatusCategory;
  readonly meaning: string;
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly details: StatusDetails = {},
    service?: ServiceName,
  ) {
    const description = describeStatus(status, service);
    const comment = details.errorComment ? ` (${details.errorComment})` : '';
    super(
      'DICOMNET_DIMSE_FAILURE_STATUS',
      `${operation} failed with status ${formatStatus(status)} ${description.meaning}${comment}`,
    );
    this.category = statusCategory(status);
    this.meaning = description.meaning;
  }
}

/** Sub-operation counts of a C-GET or C-MOVE final response (PS3.4 C.4.2.3.1, C.4.3.3.1). */
export interface RetrieveCounts {
  /**
   * Number of Remaining Sub-operations (0000,1020). A Cancel response may carry the number never
   * started; other final responses leave it out (`undefined`).
   */
  readonly remaining: number | undefined;
  /** Number of Completed Sub-operations (0000,1021); 0 when absent. */
  readonly completed: number;
  /** Number of Failed Sub-operations (0000,1022); 0 when absent. */
  readonly failed: number;
  /** Number of Warning Sub-operations (0000,1023); 0 when absent. */
  readonly warning: number;
  /** Failed SOP Instance UID List (0008,0058) of the final response; empty when absent. */
  readonly failedSopInstanceUids: readonly string[];
}

/**
 * A C-GET or C-MOVE ended with a Failure or Cancel status (PS3.4 C.4.2.3.1, C.4.3.3.1). A
 * {@link DimseStatusError} with the same `code`, which also carries the final response's
 * sub-operation counts and Failed SOP Instance UID List: how much was retrieved before it ended.
 */
export class RetrieveStatusError extends DimseStatusError implements RetrieveCounts {
  readonly remaining: number | undefined;
  readonly completed: number;
  readonly failed: number;
  readonly warning: number;
  readonly failedSopInstanceUids: readonly string[];
  constructor(
    operation: string,
    status: number,
    counts: RetrieveCounts,
    details: StatusDetails = {},
    service?: ServiceName,
  ) {
    super(operation, status, details, service);
    this.remaining = counts.remaining;
    this.completed = counts.completed;
    this.failed = counts.failed;
    this.warning = counts.warning;
    this.failedSopInstanceUids = counts.failedSopInstanceUids;
    const remaining = counts.remaining === undefined ? '' : `, ${counts.remaining} remaining`;
    this.message += `: ${counts.completed} completed, ${counts.failed} failed, ${counts.warning} warning${remaining}`;
  }
}

/** No accepted presentation context serves this SOP class (and transfer syntax) in this role. */
export class NoPresentationContextError extends DicomnetError {
  constructor(
    readonly sopClassUid: string,
    readonly transferSyntaxUid?: string,
  ) {
    const syntax =
      transferSyntaxUid === undefined ? '' : ` with transfer syntax ${transferSyntaxUid}`;
    super(
      'DICOMNET_DIMSE_NO_CONTEXT',
      `no accepted presentation context for ${sopClassUid}${syntax}`,
    );
  }
}

/** The peer did not answer a request within `dimseTimeout` milliseconds. */
export class DimseTimeoutError extends DicomnetError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super('DICOMNET_DIMSE_TIMEOUT', `no ${operation} response within ${timeoutMs} ms`);
  }
}

/**
 * A received command or data set is larger than the configured limit. Sizes count what holding
 * the message costs: its bytes plus `FRAGMENT_OVERHEAD_BYTES` (128) per retained fragment.
 */
export class MessageTooLargeError extends DicomnetError {
  constructor(
    readonly what: 'command' | 'data set' | 'streamed data set',
    readonly limit: number,
  ) {
    super(
      'DICOMNET_DIMSE_MESSAGE_TOO_LARGE',
      `received ${what} exceeds the limit of ${limit} bytes`,
    );
  }
}

/**
 * The peer split one message into more PDVs than `maxPdvFragments` allows (an endless run of
 * empty or 1-byte fragments costs memory and time, never progress). The association is aborted.
 */
export class TooManyFragmentsError extends DicomnetError {
  constructor(readonly limit: number) {
    super(
      'DICOMNET_DIMSE_TOO_MANY_FRAGMENTS',
      `a received message is split into more than ${limit} PDV fragments`,
    );
  }
}

/**
 * A response's Command Field is not the response to its request's (PS3.7 §9.3, §10.3: a
 * C-ECHO-RQ is answered by a C-ECHO-RSP). The association is aborted; the request rejects.
 */
export class ResponseMismatchError extends DicomnetError {
  constructor(
    readonly expected: string,
    readonly received: string,
    readonly messageId: number,
  ) {
    super(
      'DICOMNET_DIMSE_RESPONSE_MISMATCH',
      `Message ID ${messageId} was a ${expected} but is answered by a ${received}`,
    );
  }
}

/**
 * The peer broke the DIMSE message rules of PS3.7 §6.3 / PS3.8 Annex E: a data fragment before
 * its command, a response nobody asked for, fragments of two messages interleaved… The
 * association is aborted.
 */
export class DimseProtocolError extends DicomnetError {
  constructor(detail: string, options?: ErrorOptions) {
    super('DICOMNET_DIMSE_PROTOCOL', detail, options);
  }
}

/**
 * The peer had more operations outstanding than the asynchronous operations window it
 * negotiated allows (PS3.7 D.3.3.3; 1 when it negotiated none). The association is aborted.
 */
export class OperationsWindowExceededError extends DicomnetError {
  constructor(readonly window: number) {
    super(
      'DICOMNET_DIMSE_WINDOW_EXCEEDED',
      `the peer invoked more than ${window} outstanding operation${window === 1 ? '' : 's'}, the window it negotiated`,
    );
  }
}

/** An operation was given to an association pool after `close()`. */
export class PoolClosedError extends DicomnetError {
  constructor() {
    super('DICOMNET_DIMSE_POOL_CLOSED', 'the association pool is closed');
  }
}
