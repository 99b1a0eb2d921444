import { DicomnetError } from './errors.js';
import { describeAbort, describeReject } from './codec/index.js';
import type { State } from './state/states.js';

/**
 * The acceptor rejected our A-ASSOCIATE-RQ (PS3.8 §9.3.4). `result`, `source` and `reason` are
 * the values of Table 9-21.
 */
export class AssociationRejectedError extends DicomnetError {
  constructor(
    readonly result: number,
    readonly source: number,
    readonly reason: number,
  ) {
    super(
      'DICOMNET_ASSOCIATION_REJECTED',
      `association rejected: ${describeReject(result, source, reason)}`,
    );
  }
}

/** Who ended an association with an abort. */
export type AbortInitiator = 'local' | 'peer' | 'provider';

/**
 * The association was aborted (PS3.8 §7.3, §7.4): by the peer (an A-ABORT PDU arrived:
 * `initiator: 'peer'`), by our user (`'local'`), or by our Upper Layer provider because the peer
 * broke the protocol or a timer expired (`'provider'`, with the offending error as `cause`).
 * `source` and `reason` are the values of PS3.8 Table 9-26 carried by the A-ABORT PDU.
 */
export class AssociationAbortedError extends DicomnetError {
  constructor(
    readonly initiator: AbortInitiator,
    readonly source: number,
    readonly reason: number,
    options?: ErrorOptions,
  ) {
    const who =
      initiator === 'peer'
        ? 'by the peer'
        : initiator === 'local'
          ? 'locally'
          : 'by the upper layer';
    super(
      'DICOMNET_ASSOCIATION_ABORTED',
      `association aborted ${who}: ${describeAbort(source, reason)}`,
      options,
    );
  }
}

/** The transport connection closed while the association was still open (A-P-ABORT, AA-4). */
export class TransportClosedError extends DicomnetError {
  constructor(
    readonly state: State,
    options?: ErrorOptions,
  ) {
    super('DICOMNET_TRANSPORT_CLOSED', `connection closed by the peer in ${state}`, options);
  }
}

/** A timer ran out waiting for the peer: ARTIM (PS3.8 §9.1.5) or a reply to our A-ASSOCIATE-RQ/A-RELEASE-RQ. */
export class AssociationTimeoutError extends DicomnetError {
  constructor(
    readonly state: State,
    readonly timeoutMs: number,
  ) {
    super(
      'DICOMNET_ASSOCIATION_TIMEOUT',
      `no answer from the peer within ${timeoutMs} ms in ${state}`,
    );
  }
}

/**
 * Our own user did not answer in time: the acceptor policy in Sta3 (`associateResponseTimeout`;
 * the peer got A-ASSOCIATE-RJ 2/3/1) or `onReleaseRequest` in Sta8, Sta9 or Sta12
 * (`releaseResponseTimeout`; the peer got A-ABORT source 2, reason 0).
 */
export class UserResponseTimeoutError extends DicomnetError {
  constructor(
    readonly state: State,
    readonly timeoutMs: number,
  ) {
    super(
      'DICOMNET_USER_RESPONSE_TIMEOUT',
      `the local user did not answer within ${timeoutMs} ms in ${state}`,
    );
  }
}

/**
 * The A-ASSOCIATE-AC answers a presentation context we did not propose, or accepts one with a
 * transfer syntax we did not propose for it (PS3.8 7.1.1.13-14; PS3.7 D.3.2: the acceptor
 * selects one of the offered transfer syntaxes). We answer A-ABORT source 2, reason 6
 * invalid-PDU-parameter value (PS3.8 Table 9-26).
 */
export class AssociateAcMismatchError extends DicomnetError {
  /** A-ABORT source to send: DICOM UL service-provider (PS3.8 Table 9-26). */
  readonly abortSource = 2;
  /** A-ABORT reason to send: invalid-PDU-parameter value (PS3.8 Table 9-26). */
  readonly abortReason = 6;

  /**
   * @param presentationContextId - The ID of the offending answer.
   * @param detail - What does not match.
   */
  constructor(
    readonly presentationContextId: number,
    readonly detail: string,
  ) {
    super(
      'DICOMNET_ASSOCIATE_AC_MISMATCH',
      `A-ASSOCIATE-AC, presentation context ${presentationContextId}: ${detail}`,
    );
  }
}

/**
 * While our handler held input, the PDUs already read and waiting for it passed
 * `maxPendingPdus` or `maxPendingBytes` (each PDU costs its body plus a fixed overhead). The
 * association is aborted with A-ABORT source 2, reason 0 (PS3.8 Table 9-26: no reason fits a
 * local resource limit) and this error as the abort's `cause`.
 */
export class PendingPdusLimitError extends DicomnetError {
  /**
   * @param pendingPdus - PDUs waiting when the limit was passed.
   * @param pendingBytes - What they cost, in bytes.
   * @param maxPendingPdus - The count limit.
   * @param maxPendingBytes - The byte limit.
   */
  constructor(
    readonly pendingPdus: number,
    readonly pendingBytes: number,
    readonly maxPendingPdus: number,
    readonly maxPendingBytes: number,
  ) {
    super(
      'DICOMNET_PDU_PENDING_LIMIT',
      `${pendingPdus} PDUs (${pendingBytes} bytes) pending while the handler is busy; ` +
        `limits ${maxPendingPdus} PDUs, ${maxPendingBytes} bytes`,
    );
  }
}

/** A local request that the association's state does not allow, e.g. sending after release. */
export class InvalidStateError extends DicomnetError {
  constructor(
    readonly state: State,
    readonly operation: string,
  ) {
    super('DICOMNET_INVALID_STATE', `cannot ${operation} in ${state}`);
  }
}

/** The TCP or TLS connection to the peer could not be made. */
export class ConnectError extends DicomnetError {
  constructor(
    readonly host: string,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('DICOMNET_CONNECT_FAILED', `cannot connect to ${host}:${port}${cause}`, options);
  }
}

/** The TCP or TLS connection did not complete within `connectTimeout`. */
export class ConnectTimeoutError extends DicomnetError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly timeoutMs: number,
  ) {
    super('DICOMNET_CONNECT_TIMEOUT', `no connection to ${host}:${port} within ${timeoutMs} ms`);
  }
}

/** Where on a per-association path an unexpected exception was caught. */
export type FailurePoint =
  | 'decode'
  | 'encode'
  | 'state-machine'
  | 'policy'
  | 'on-association'
  | 'on-failure'
  | 'on-pdata'
  | 'on-release-request'
  | 'on-end'
  | 'timer'
  | 'transport';

/**
 * An exception that is not a protocol outcome (a bug, a throwing handler or policy, an encoder
 * refusing a value) was caught on the path of one association. It never reaches the process: it
 * is published on `dicomnet:pdu:association-error` and that association ends, with A-ABORT
 * source 2, reason 0 when one can be sent (PS3.8 7.4, A-P-ABORT), or by closing the connection.
 * The thrown value is the `cause`.
 */
export class AssociationInternalError extends DicomnetError {
  /**
   * @param where - The path the exception was caught on.
   * @param cause - What was thrown.
   */
  constructor(
    readonly where: FailurePoint,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('DICOMNET_ASSOCIATION_INTERNAL_ERROR', `${where} failed: ${detail}`, { cause });
  }
}
