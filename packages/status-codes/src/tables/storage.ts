import { range, single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';

/**
 * C-STORE statuses of the Storage Service Class (PS3.4 B.2.3, Table B.2-1). Range entries are
 * named by their first code: any `A7xx` is "Refused: Out of resources".
 */
export const StorageStatus = {
  Success: 0x0000, // PS3.4 Table B.2-1
  OutOfResources: 0xa700, // PS3.4 Table B.2-1 (A7xx)
  DataSetDoesNotMatchSopClass: 0xa900, // PS3.4 Table B.2-1 (A9xx)
  CannotUnderstand: 0xc000, // PS3.4 Table B.2-1 (Cxxx)
  CoercionOfDataElements: 0xb000, // PS3.4 Table B.2-1
  ElementsDiscarded: 0xb006, // PS3.4 Table B.2-1
  DataSetDoesNotMatchSopClassWarning: 0xb007, // PS3.4 Table B.2-1
} as const;

/** A code named in {@link StorageStatus}. */
export type StorageStatus = (typeof StorageStatus)[keyof typeof StorageStatus];

const B21 = 'PS3.4 Table B.2-1';

/** PS3.4 Table B.2-1 (C-STORE Status). */
export const STORAGE_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Success', B21),
  range(0xa700, 0xa7ff, 'Failure', 'Refused: Out of resources', B21),
  range(0xa900, 0xa9ff, 'Failure', 'Error: Data Set does not match SOP Class', B21),
  single(0xb000, 'Warning', 'Coercion of Data Elements', B21),
  single(0xb006, 'Warning', 'Elements Discarded', B21),
  single(0xb007, 'Warning', 'Data Set does not match SOP Class', B21),
  range(0xc000, 0xcfff, 'Failure', 'Error: Cannot understand', B21),
]);
