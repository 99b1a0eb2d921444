// A small valid Inventory instance (PS3.3 A.88: General Equipment, Inventory and SOP Common
// modules) written with @dicomnet/data's element writer, for the repository's tests.
import { dataSetTokens, writeElementsSync, type DataSet } from '@dicomnet/data';

/** Inventory Storage (PS3.4 GG.6.6). */
export const INVENTORY_STORAGE = '1.2.840.10008.5.1.4.1.1.201.1';
/** Explicit VR Little Endian. */
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** What varies between test inventories. */
export interface InventoryFixture {
  readonly sopInstanceUid: string;
  readonly contentDate?: string;
  readonly contentTime?: string;
  readonly level?: 'STUDY' | 'SERIES' | 'INSTANCE';
  readonly completion?: string;
  readonly purpose?: string;
  readonly transactionUid?: string;
  /** Study Instance UIDs of the Inventoried Studies Sequence. */
  readonly studies?: readonly string[];
  /** Total Number of Study Records; default the number of studies. */
  readonly total?: bigint;
  /** Items of Scope of Inventory Sequence; default one item with a Study Date range. */
  readonly scope?: readonly DataSet[];
}

/** The data set of an Inventory instance. */
export function inventoryDataSet(fixture: InventoryFixture): DataSet {
  const studies = fixture.studies ?? ['1.2.826.0.1.3680043.10.1.1'];
  return {
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080016': { vr: 'UI', Value: [INVENTORY_STORAGE] },
    '00080018': { vr: 'UI', Value: [fixture.sopInstanceUid] },
    '00080023': { vr: 'DA', Value: [fixture.contentDate ?? '20261205'] },
    '00080033': { vr: 'TM', Value: [fixture.contentTime ?? '120000'] },
    '00080070': { vr: 'LO', Value: ['dicomnet'] },
    '00080400': {
      vr: 'SQ',
      Value: [
        ...(fixture.scope ?? [
          {
            '00080020': { vr: 'DA', Value: ['20200101-20201231'] },
            '00080061': { vr: 'CS', Value: ['CT'] },
          },
        ]),
      ],
    },
    '00080401': { vr: 'LT', Value: [fixture.purpose ?? 'test inventory'] },
    '00080403': { vr: 'CS', Value: [fixture.level ?? 'STUDY'] },
    '00080423': {
      vr: 'SQ',
      Value: studies.map((uid) => ({
        '00080404': { vr: 'DT', Value: ['20261205120000'] },
        '0020000D': { vr: 'UI', Value: [uid] },
      })),
    },
    '00080426': { vr: 'CS', Value: [fixture.completion ?? 'COMPLETE'] },
    '00080427': { vr: 'UL', Value: [studies.length] },
    '00080428': { vr: 'UV', Value: [fixture.total ?? BigInt(studies.length)] },
    ...(fixture.transactionUid === undefined
      ? {}
      : { '00081195': { vr: 'UI', Value: [fixture.transactionUid] } }),
  };
}

/**
 * The data set of an Inventory instance in Explicit VR Little Endian, as a C-STORE carries it;
 * with `definedLength`, its sequences and items have computed lengths (as DCMTK sends them); in
 * another transfer syntax when asked.
 */
export function inventoryBytes(
  fixture: InventoryFixture,
  definedLength = false,
  transferSyntaxUid = EXPLICIT_LE,
): Uint8Array {
  const bytes = Buffer.concat([
    ...writeElementsSync(dataSetTokens(inventoryDataSet(fixture), definedLength), {
      transferSyntaxUid,
    }),
  ]);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
