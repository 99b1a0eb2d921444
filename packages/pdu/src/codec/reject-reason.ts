/** Result field of A-ASSOCIATE-RJ, byte 8 (PS3.8 Table 9-21). */
export const RejectResult = {
  /** rejected-permanent */
  Permanent: 1,
  /** rejected-transient */
  Transient: 2,
} as const;

/** One of the {@link RejectResult} values. */
export type RejectResult = (typeof RejectResult)[keyof typeof RejectResult];

/** Source field of A-ASSOCIATE-RJ, byte 9 (PS3.8 Table 9-21). */
export const RejectSource = {
  /** DICOM UL service-user */
  ServiceUser: 1,
  /** DICOM UL service-provider (ACSE related function) */
  ServiceProviderAcse: 2,
  /** DICOM UL service-provider (Presentation related function) */
  ServiceProviderPresentation: 3,
} as const;

/** One of the {@link RejectSource} values. */
export type RejectSource = (typeof RejectSource)[keyof typeof RejectSource];

/** Reasons given by source 1, {@link RejectSource.ServiceUser} (PS3.8 Table 9-21). */
const SERVICE_USER_REASONS = {
  /** 1 no-reason-given */
  NoReasonGiven: 1,
  /** 2 application-context-name-not-supported */
  ApplicationContextNameNotSupported: 2,
  /** 3 calling-AE-title-not-recognized */
  CallingAeTitleNotRecognized: 3,
  /** 7 called-AE-title-not-recognized */
  CalledAeTitleNotRecognized: 7,
} as const;

/** Reasons given by source 2, {@link RejectSource.ServiceProviderAcse} (PS3.8 Table 9-21). */
const SERVICE_PROVIDER_ACSE_REASONS = {
  /** 1 no-reason-given */
  NoReasonGiven: 1,
  /** 2 protocol-version-not-supported */
  ProtocolVersionNotSupported: 2,
} as const;

/** Reasons given by source 3, {@link RejectSource.ServiceProviderPresentation} (PS3.8 Table 9-21). */
const SERVICE_PROVIDER_PRESENTATION_REASONS = {
  /** 1 temporary-congestion */
  TemporaryCongestion: 1,
  /** 2 local-limit-exceeded */
  LocalLimitExceeded: 2,
} as const;

/**
 * Reason/Diag. field of A-ASSOCIATE-RJ, byte 10 (PS3.8 Table 9-21). The same number means
 * different things for different sources, so the reasons come two ways:
 *
 * - flat, each name unique: `RejectReason.CalledAeTitleNotRecognized` (7, source 1),
 *   `RejectReason.ProtocolVersionNotSupported` (2, source 2), `RejectReason.LocalLimitExceeded`
 *   (2, source 3); `NoReasonGiven` (1) is valid for sources 1 and 2;
 * - grouped by source: `RejectReason.ServiceUser.CalledAeTitleNotRecognized`, ….
 *
 * Values not listed are reserved (4-6 and 8-10 for source 1, 0 and 3-7 for source 3).
 */
export const RejectReason = {
  ...SERVICE_USER_REASONS,
  ...SERVICE_PROVIDER_ACSE_REASONS,
  ...SERVICE_PROVIDER_PRESENTATION_REASONS,
  /** Reasons of source 1, DICOM UL service-user. */
  ServiceUser: SERVICE_USER_REASONS,
  /** Reasons of source 2, DICOM UL service-provider (ACSE related function). */
  ServiceProviderAcse: SERVICE_PROVIDER_ACSE_REASONS,
  /** Reasons of source 3, DICOM UL service-provider (Presentation related function). */
  ServiceProviderPresentation: SERVICE_PROVIDER_PRESENTATION_REASONS,
} as const;

const RESULT_TEXT: Readonly<Record<number, string>> = {
  [RejectResult.Permanent]: 'rejected-permanent',
  [RejectResult.Transient]: 'rejected-transient',
};

const SOURCE_TEXT: Readonly<Record<number, string>> = {
  [RejectSource.ServiceUser]: 'DICOM UL service-user',
  [RejectSource.ServiceProviderAcse]: 'DICOM UL service-provider (ACSE related function)',
  [RejectSource.ServiceProviderPresentation]:
    'DICOM UL service-provider (Presentation related function)',
};

const REASON_TEXT: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  [RejectSource.ServiceUser]: {
    1: 'no-reason-given',
    2: 'application-context-name-not-supported',
    3: 'calling-AE-title-not-recognized',
    7: 'called-AE-title-not-recognized',
  },
  [RejectSource.ServiceProviderAcse]: { 1: 'no-reason-given', 2: 'protocol-version-not-supported' },
  [RejectSource.ServiceProviderPresentation]: {
    1: 'temporary-congestion',
    2: 'local-limit-exceeded',
  },
};

/**
 * Human text for the result, source and reason of an A-ASSOCIATE-RJ (PS3.8 Table 9-21), e.g.
 * `"rejected-permanent; source: DICOM UL service-user; reason: called-AE-title-not-recognized"`.
 * Values the table does not define (reserved values, or any reason of a reserved source) read
 * `"reserved (n)"`; the function never throws.
 */
export function describeReject(result: number, source: number, reason: number): string {
  const resultText = RESULT_TEXT[result] ?? `reserved (${result})`;
  const sourceText = SOURCE_TEXT[source] ?? `reserved (${source})`;
  const reasonText = REASON_TEXT[source]?.[reason] ?? `reserved (${reason})`;
  return `${resultText}; source: ${sourceText}; reason: ${reasonText}`;
}
