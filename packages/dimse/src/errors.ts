import { DicomnetError } from '@dicomnet/pdu';
import type { StatusCategory } from '@dicomnet/status-codes';
import { describeStatus, formatStatus, statusCategory } from '@dicomnet/status-codes';
import type { ServiceName } from '@dicomnet/status-codes';

/** What a response said besides its status (PS3.7 Annex C companion elements). */
export interface StatusDetails {
  readonly errorComment?: string;
  readonly errorId?: number;
  readonly offendingElement?: readonly number[];
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

/** A received command or data set is larger than the configured limit. */
export class MessageTooLargeError extends DicomnetError {
  constructor(
    readonly what: 'command' | 'data set',
    readonly limit: number,
  ) {
    super(
      'DICOMNET_DIMSE_MESSAGE_TOO_LARGE',
      `received ${what} exceeds the limit of ${limit} bytes`,
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
