/** Source field of A-ABORT, byte 9 (PS3.8 Table 9-26). */
export const AbortSource = {
  /** DICOM UL service-user (initiated abort): an A-ABORT indication. */
  ServiceUser: 0,
  /** reserved */
  Reserved: 1,
  /** DICOM UL service-provider (initiated abort): an A-P-ABORT indication. */
  ServiceProvider: 2,
} as const;

/** One of the {@link AbortSource} values. */
export type AbortSource = (typeof AbortSource)[keyof typeof AbortSource];

/**
 * Reason/Diag. field of A-ABORT, byte 10 (PS3.8 Table 9-26). Significant only when the source is
 * {@link AbortSource.ServiceProvider}; with source 0 it is sent as 00H and not tested. 3 is
 * reserved.
 */
export const AbortReason = {
  /** 0 reason-not-specified */
  NotSpecified: 0,
  /** 1 unrecognized-PDU */
  UnrecognizedPdu: 1,
  /** 2 unexpected-PDU */
  UnexpectedPdu: 2,
  /** 4 unrecognized-PDU parameter */
  UnrecognizedPduParameter: 4,
  /** 5 unexpected-PDU parameter */
  UnexpectedPduParameter: 5,
  /** 6 invalid-PDU-parameter value */
  InvalidPduParameterValue: 6,
} as const;

/** One of the {@link AbortReason} values. */
export type AbortReason = (typeof AbortReason)[keyof typeof AbortReason];

const REASON_TEXT: Readonly<Record<number, string>> = {
  [AbortReason.NotSpecified]: 'reason-not-specified',
  [AbortReason.UnrecognizedPdu]: 'unrecognized-PDU',
  [AbortReason.UnexpectedPdu]: 'unexpected-PDU',
  [AbortReason.UnrecognizedPduParameter]: 'unrecognized-PDU parameter',
  [AbortReason.UnexpectedPduParameter]: 'unexpected-PDU parameter',
  [AbortReason.InvalidPduParameterValue]: 'invalid-PDU-parameter value',
};

/**
 * Human text for the source and reason of an A-ABORT (PS3.8 Table 9-26), e.g.
 * `"DICOM UL service-provider; reason: unexpected-PDU"`. The reason is left out for a
 * service-user abort, where it is not significant. Undefined values read `"reserved (n)"`; the
 * function never throws.
 */
export function describeAbort(source: number, reason: number): string {
  if (source === AbortSource.ServiceUser) return 'DICOM UL service-user';
  const reasonText = REASON_TEXT[reason] ?? `reserved (${reason})`;
  if (source === AbortSource.ServiceProvider) {
    return `DICOM UL service-provider; reason: ${reasonText}`;
  }
  return `reserved (${source}); reason: ${reasonText}`;
}
