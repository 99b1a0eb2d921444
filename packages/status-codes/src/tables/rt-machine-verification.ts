import { single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';

/**
 * Service-specific statuses of the RT Machine Verification Service Class (PS3.4 Annex DD), RT
 * Conventional and RT Ion Machine Verification SOP classes: N-GET (Table DD.3.2.2.3-1) and
 * N-ACTION (Table DD.3.2.3-2).
 */
export const RtMachineVerificationStatus = {
  Success: 0x0000, // PS3.4 Table DD.3.2.2.3-1, DD.3.2.3-2
  MachineVerificationNotFound: 0xc112, // PS3.4 Table DD.3.2.2.3-1, DD.3.2.3-2
} as const;

/** A code named in {@link RtMachineVerificationStatus}. */
export type RtMachineVerificationStatus =
  (typeof RtMachineVerificationStatus)[keyof typeof RtMachineVerificationStatus];

const DD = 'PS3.4 Table DD.3.2.3-2';

/** The statuses of PS3.4 Tables DD.3.2.2.3-1 and DD.3.2.3-2. */
export const RT_MACHINE_VERIFICATION_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Success', DD),
  single(0xc112, 'Failure', 'Failed: Machine Verification requested instance not found', DD),
]);
