// What the index keeps of one Inventory instance (Inventory Storage, PS3.4 GG.6.6), read from its
// file with @dicomnet/data's streaming element reader (never a full decode). The Inventory IOD is
// non-patient (PS3.3 A.88): no Patient, Study or Series module, so none of their UIDs; its keys are
// those of the Inventory module (PS3.3 C.38.1) that Inventory FIND matches and returns (PS3.4 JJ.2).
import { toDicomJson, type Attributes, type Part10Attributes } from '@dicomnet/data';
import { InvalidInstanceError } from '../errors.js';
import { checkMediaStorageUids, requiredUid, text } from '../index-record.js';

/** Inventory Storage SOP Class (PS3.4 GG.6.6; PS3.6 Table A-1). */
export const INVENTORY_STORAGE_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.201.1';

/** The tags of the Inventory keys, as 8 upper-case hex digits (PS3.3 C.38.1, PS3.6). */
export const InventoryTag = {
  specificCharacterSet: '00080005',
  sopClassUid: '00080016',
  sopInstanceUid: '00080018',
  contentDate: '00080023',
  contentTime: '00080033',
  scopeOfInventorySequence: '00080400',
  inventoryPurpose: '00080401',
  inventoryLevel: '00080403',
  inventoryCompletionStatus: '00080426',
  numberOfStudyRecordsInInstance: '00080427',
  totalNumberOfStudyRecords: '00080428',
  transactionUid: '00081195',
} as const;

/**
 * Tags the index reads from an Inventory data set. The largest, Transaction UID (0008,1195),
 * lies below the first attribute of a patient instance the index reads last (0020,0013), so the
 * union with the instance tags costs a patient file nothing more. Inventoried Studies Sequence
 * (0008,0423) lies between them and is skipped item by item, never held.
 */
export const INVENTORY_TAGS: readonly number[] = Object.values(InventoryTag).map((tag) =>
  Number.parseInt(tag, 16),
);

/** What the index holds about one Inventory instance. Text as decoded (Unicode). */
export interface InventoryRecord {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  /** (0008,0005) as read, `\`-separated; the values below are decoded with it. */
  readonly specificCharacterSet?: string | undefined;
  /** (0008,0023) DA. */
  readonly contentDate?: string | undefined;
  /** (0008,0033) TM. */
  readonly contentTime?: string | undefined;
  /** (0008,0403) CS: STUDY, SERIES or INSTANCE. */
  readonly inventoryLevel?: string | undefined;
  /** (0008,0426) CS. */
  readonly inventoryCompletionStatus?: string | undefined;
  /** (0008,0401) LT. */
  readonly inventoryPurpose?: string | undefined;
  /** (0008,1195) UI: the Inventory Creation transaction that made it (PS3.3 C.38.1, Type 1C). */
  readonly transactionUid?: string | undefined;
  /** (0008,0428) UV as a decimal string. */
  readonly totalNumberOfStudyRecords?: string | undefined;
  /** (0008,0427) UL as a decimal string. */
  readonly numberOfStudyRecordsInInstance?: string | undefined;
  /** (0008,0400) as its DICOM JSON (PS3.18 F.2): `{"00080400":{"vr":"SQ",…}}`. */
  readonly scopeOfInventory?: string | undefined;
  /** Bytes of the stored file. */
  readonly sizeBytes: number;
  /** Path of the file relative to the storage root, `/`-separated. */
  readonly storedPath: string;
  /** The file's modification time (ms since the epoch, truncated). */
  readonly fileMtimeMs: number;
  /** AE title of the peer that sent it, when known. */
  readonly sourceAeTitle?: string | undefined;
}

/** Whether the attributes read from a file are those of an Inventory instance. */
export function isInventory(attributes: Attributes): boolean {
  return text(attributes, InventoryTag.sopClassUid) === INVENTORY_STORAGE_SOP_CLASS;
}

/**
 * The index record of an Inventory Part 10 file from what the streaming reader returned for
 * {@link INVENTORY_TAGS}.
 * @throws {@link InvalidInstanceError} when SOP Instance or SOP Class UID is missing or not a
 *   UID, or differs from the File Meta Information's (PS3.10 7.1), or the class is not Inventory
 *   Storage.
 */
export function inventoryRecordOf(
  file: Part10Attributes,
  facts: Pick<InventoryRecord, 'sizeBytes' | 'storedPath' | 'fileMtimeMs' | 'sourceAeTitle'>,
): InventoryRecord {
  const a = file.attributes;
  const sopInstanceUid = requiredUid(a, InventoryTag.sopInstanceUid, 'SOP Instance UID');
  const sopClassUid = requiredUid(a, InventoryTag.sopClassUid, 'SOP Class UID');
  checkMediaStorageUids(file, sopInstanceUid, sopClassUid);
  if (sopClassUid !== INVENTORY_STORAGE_SOP_CLASS)
    throw new InvalidInstanceError(
      'sop-class-mismatch',
      `SOP Class UID ${sopClassUid} is not Inventory Storage`,
    );
  const scope = a[InventoryTag.scopeOfInventorySequence];
  return {
    sopInstanceUid,
    sopClassUid,
    transferSyntaxUid: file.meta.transferSyntaxUid,
    specificCharacterSet: text(a, InventoryTag.specificCharacterSet),
    contentDate: text(a, InventoryTag.contentDate),
    contentTime: text(a, InventoryTag.contentTime),
    inventoryLevel: text(a, InventoryTag.inventoryLevel),
    inventoryCompletionStatus: text(a, InventoryTag.inventoryCompletionStatus),
    inventoryPurpose: text(a, InventoryTag.inventoryPurpose),
    transactionUid: text(a, InventoryTag.transactionUid),
    totalNumberOfStudyRecords: text(a, InventoryTag.totalNumberOfStudyRecords),
    numberOfStudyRecordsInInstance: text(a, InventoryTag.numberOfStudyRecordsInInstance),
    scopeOfInventory:
      scope === undefined
        ? undefined
        : JSON.stringify(toDicomJson({ [InventoryTag.scopeOfInventorySequence]: scope })),
    ...facts,
  };
}
