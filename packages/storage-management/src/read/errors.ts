// Errors of reading Inventory instances back (PS3.3 A.88, C.38.1) and following their tree
// (C.38.1.1.5, C.38.2.3). Codes are stable: match on `code`.
import { DicomnetError } from '@dicomnet/data';

/**
 * The input is a DICOM data set, but not an Inventory instance: its SOP Class UID is not
 * Inventory Storage (PS3.4 GG.6.6). Code `DICOMNET_INVENTORY_NOT_INVENTORY`.
 */
export class NotInventoryError extends DicomnetError {
  /** @param sopClassUid - The SOP Class UID found (undefined when there is none). */
  constructor(
    readonly sopClassUid: string | undefined,
    where?: string,
    options?: ErrorOptions,
  ) {
    super(
      'DICOMNET_INVENTORY_NOT_INVENTORY',
      `${where === undefined ? '' : `${where}: `}not an Inventory instance (SOP Class UID ${sopClassUid ?? 'absent'})`,
      options,
    );
  }
}

/**
 * An Inventory instance that breaks PS3.3 C.38.1: a Type 1 attribute missing, a record without
 * its UID, Number of Study Records in Instance not the number of study records, an encoding the
 * element reader refuses. Code `DICOMNET_INVENTORY_MALFORMED`.
 */
export class InventoryMalformedError extends DicomnetError {
  constructor(
    readonly detail: string,
    readonly where?: string,
    options?: ErrorOptions,
  ) {
    super(
      'DICOMNET_INVENTORY_MALFORMED',
      `${where === undefined ? '' : `${where}: `}malformed Inventory instance: ${detail}`,
      options,
    );
  }
}

/**
 * The input ended before the Inventory instance did (inside an element, a record or a
 * sequence). Code `DICOMNET_INVENTORY_TRUNCATED`.
 */
export class InventoryTruncatedError extends DicomnetError {
  constructor(
    readonly detail: string,
    readonly where?: string,
    options?: ErrorOptions,
  ) {
    super(
      'DICOMNET_INVENTORY_TRUNCATED',
      `${where === undefined ? '' : `${where}: `}Inventory instance truncated: ${detail}`,
      options,
    );
  }
}

/**
 * The tree of an inventory is not a tree: an instance incorporates one already on its path, or
 * one met twice. C.38.2.3 says a tree cannot have cycles; a broken producer can still write one.
 * Code `DICOMNET_INVENTORY_CYCLE`.
 */
export class InventoryCycleError extends DicomnetError {
  /** @param path - The SOP Instance UIDs from the root to the repeated one. */
  constructor(readonly path: readonly string[]) {
    super(
      'DICOMNET_INVENTORY_CYCLE',
      `Inventory instance ${path.at(-1) ?? ''} is incorporated twice (path ${path.join(' > ')})`,
    );
  }
}

/**
 * An incorporated Inventory instance has another Inventory Level than the one incorporating it
 * (PS3.3 C.38.1.1.5: they shall be the same). Code `DICOMNET_INVENTORY_LEVEL_MISMATCH`.
 */
export class InventoryLevelMismatchError extends DicomnetError {
  constructor(
    readonly sopInstanceUid: string,
    readonly level: string,
    readonly expected: string,
  ) {
    super(
      'DICOMNET_INVENTORY_LEVEL_MISMATCH',
      `Inventory instance ${sopInstanceUid} has Inventory Level ${level}, its parent ${expected}`,
    );
  }
}

/**
 * An Inventory instance of the tree could not be found by the opener given to
 * readInventoryTree, or the one opened is another instance than the one referenced. Code
 * `DICOMNET_INVENTORY_NOT_FOUND`.
 */
export class InventoryNotFoundError extends DicomnetError {
  constructor(
    readonly sopInstanceUid: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      'DICOMNET_INVENTORY_NOT_FOUND',
      `Inventory instance ${sopInstanceUid}: ${detail}`,
      options,
    );
  }
}
