import { range, single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';

/** C-FIND statuses of the Query/Retrieve Service Class (PS3.4 C.4.1.1.4, Table C.4-1). */
export const QueryRetrieveFindStatus = {
  Success: 0x0000, // PS3.4 Table C.4-1
  OutOfResources: 0xa700, // PS3.4 Table C.4-1
  IdentifierDoesNotMatchSopClass: 0xa900, // PS3.4 Table C.4-1
  UnableToProcess: 0xc000, // PS3.4 Table C.4-1 (Cxxx)
  Cancel: 0xfe00, // PS3.4 Table C.4-1
  Pending: 0xff00, // PS3.4 Table C.4-1
  PendingOptionalKeysNotSupported: 0xff01, // PS3.4 Table C.4-1
} as const;

/** A code named in {@link QueryRetrieveFindStatus}. */
export type QueryRetrieveFindStatus =
  (typeof QueryRetrieveFindStatus)[keyof typeof QueryRetrieveFindStatus];

/** C-MOVE statuses of the Query/Retrieve Service Class (PS3.4 C.4.2.1.5, Table C.4-2). */
export const QueryRetrieveMoveStatus = {
  Success: 0x0000, // PS3.4 Table C.4-2
  OutOfResourcesNumberOfMatches: 0xa701, // PS3.4 Table C.4-2
  OutOfResourcesSubOperations: 0xa702, // PS3.4 Table C.4-2
  MoveDestinationUnknown: 0xa801, // PS3.4 Table C.4-2
  IdentifierDoesNotMatchSopClass: 0xa900, // PS3.4 Table C.4-2
  UnableToProcess: 0xc000, // PS3.4 Table C.4-2 (Cxxx)
  SubOperationsCompleteWithFailures: 0xb000, // PS3.4 Table C.4-2
  Cancel: 0xfe00, // PS3.4 Table C.4-2
  Pending: 0xff00, // PS3.4 Table C.4-2
} as const;

/** A code named in {@link QueryRetrieveMoveStatus}. */
export type QueryRetrieveMoveStatus =
  (typeof QueryRetrieveMoveStatus)[keyof typeof QueryRetrieveMoveStatus];

/** C-GET statuses of the Query/Retrieve Service Class (PS3.4 C.4.3.1.4, Table C.4-3). */
export const QueryRetrieveGetStatus = {
  Success: 0x0000, // PS3.4 Table C.4-3
  OutOfResourcesNumberOfMatches: 0xa701, // PS3.4 Table C.4-3
  OutOfResourcesSubOperations: 0xa702, // PS3.4 Table C.4-3
  IdentifierDoesNotMatchSopClass: 0xa900, // PS3.4 Table C.4-3
  UnableToProcess: 0xc000, // PS3.4 Table C.4-3 (Cxxx)
  SubOperationsCompleteWithFailures: 0xb000, // PS3.4 Table C.4-3
  Cancel: 0xfe00, // PS3.4 Table C.4-3
  Pending: 0xff00, // PS3.4 Table C.4-3
} as const;

/** A code named in {@link QueryRetrieveGetStatus}. */
export type QueryRetrieveGetStatus =
  (typeof QueryRetrieveGetStatus)[keyof typeof QueryRetrieveGetStatus];

/** The pending, success and cancel rows of a C-FIND table, which several annexes share. */
function findRows(reference: string): readonly StatusTableRow[] {
  return [
    single(0x0000, 'Success', 'Matching is complete - no final Identifier is supplied', reference),
    single(0xfe00, 'Cancel', 'Matching terminated due to Cancel request', reference),
    single(
      0xff00,
      'Pending',
      'Matches are continuing - current match is supplied and any Optional Keys were supported in the same manner as Required Keys',
      reference,
    ),
    single(
      0xff01,
      'Pending',
      'Matches are continuing - warning that one or more Optional Keys were not supported for existence for this Identifier',
      reference,
    ),
  ];
}

/** The rows a C-MOVE and a C-GET table share (PS3.4 C.4.2.1.5 and C.4.3.1.4). */
function retrieveRows(reference: string): readonly StatusTableRow[] {
  return [
    single(0x0000, 'Success', 'Sub-operations complete - no failures', reference),
    single(
      0xa701,
      'Failure',
      'Refused: Out of resources - unable to calculate number of matches',
      reference,
    ),
    single(
      0xa702,
      'Failure',
      'Refused: Out of resources - unable to perform sub-operations',
      reference,
    ),
    single(0xa900, 'Failure', 'Error: Identifier does not match SOP Class', reference),
    single(
      0xb000,
      'Warning',
      'Sub-operations complete - one or more failures or warnings',
      reference,
    ),
    range(0xc000, 0xcfff, 'Failure', 'Failed: Unable to process', reference),
    single(0xfe00, 'Cancel', 'Sub-operations terminated due to Cancel indication', reference),
    single(0xff00, 'Pending', 'Sub-operations are continuing', reference),
  ];
}

const C41 = 'PS3.4 Table C.4-1';
const C42 = 'PS3.4 Table C.4-2';
const C43 = 'PS3.4 Table C.4-3';

/** PS3.4 Table C.4-1 (Query/Retrieve C-FIND Response Status Values). */
export const QUERY_RETRIEVE_FIND_STATUSES: readonly StatusTableRow[] = table([
  ...findRows(C41),
  single(0xa700, 'Failure', 'Refused: Out of resources', C41),
  single(0xa900, 'Failure', 'Error: Identifier does not match SOP Class', C41),
  range(0xc000, 0xcfff, 'Failure', 'Failed: Unable to process', C41),
]);

/** PS3.4 Table C.4-2 (Query/Retrieve C-MOVE Response Status Values). */
export const QUERY_RETRIEVE_MOVE_STATUSES: readonly StatusTableRow[] = table([
  ...retrieveRows(C42),
  single(0xa801, 'Failure', 'Refused: Move destination unknown', C42),
]);

/** PS3.4 Table C.4-3 (Query/Retrieve C-GET Response Status Values). */
export const QUERY_RETRIEVE_GET_STATUSES: readonly StatusTableRow[] = table(retrieveRows(C43));

const K4 = 'PS3.4 K.4.1.1.4';

/** Modality Worklist C-FIND statuses (PS3.4 K.4.1.1.4, Table K.4-1). */
export const MODALITY_WORKLIST_FIND_STATUSES: readonly StatusTableRow[] = table([
  ...findRows(K4),
  single(0xa700, 'Failure', 'Refused: Out of resources', K4),
  single(0xa900, 'Failure', 'Identifier does not match SOP Class', K4),
  range(0xc000, 0xcfff, 'Failure', 'Unable to process', K4),
]);

/** `rows` with each reference extended by the Annex JJ section that points at it. */
function viaInventory(rows: readonly StatusTableRow[], section: string): readonly StatusTableRow[] {
  return table(
    rows.map((row) =>
      range(row.code, row.lastCode, row.category, row.meaning, `${row.reference} (via ${section})`),
    ),
  );
}

/** Inventory - FIND statuses: those of Q/R C-FIND (PS3.4 JJ.3.1 refers to C.4.1). */
export const INVENTORY_FIND_STATUSES = viaInventory(QUERY_RETRIEVE_FIND_STATUSES, 'PS3.4 JJ.3.1');

/** Inventory - MOVE statuses: those of Q/R C-MOVE (PS3.4 JJ.3.2 refers to C.4.2). */
export const INVENTORY_MOVE_STATUSES = viaInventory(QUERY_RETRIEVE_MOVE_STATUSES, 'PS3.4 JJ.3.2');

/** Inventory - GET statuses: those of Q/R C-GET (PS3.4 JJ.3.3 refers to C.4.3). */
export const INVENTORY_GET_STATUSES = viaInventory(QUERY_RETRIEVE_GET_STATUSES, 'PS3.4 JJ.3.3');
