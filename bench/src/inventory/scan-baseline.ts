/**
 * The floor issue 17 compares an inventory with: a bare SQLite scan of every instance row of the
 * index, each written as one DICOM item of four elements (SOP Class UID, SOP Instance UID,
 * Instance Number, Stored Instance Transfer Syntax UID; Explicit VR Little Endian, defined
 * lengths) into 64 KiB blocks appended to a file. No walk, no study or series records, no
 * checks: what reading the rows and encoding them costs at the least.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { openSqlite } from '@dicomnet/repository';

const BLOCK_BYTES = 64 * 1024;
// A record's largest item: header 8 + four elements of 8-byte header and at most 64 bytes.
const MAX_ITEM_BYTES = 8 + 4 * (8 + 64);

/** What one scan did. */
export interface ScanResult {
  readonly records: number;
  readonly bytes: number;
}

/** Writes the (group, element) and the two-letter VR of a short-length element. */
function writeText(
  block: Buffer,
  offset: number,
  group: number,
  element: number,
  vr: string,
  value: string,
  pad: number,
): number {
  const length = value.length + (value.length % 2);
  block.writeUInt16LE(group, offset);
  block.writeUInt16LE(element, offset + 2);
  block.write(vr, offset + 4, 'latin1');
  block.writeUInt16LE(length, offset + 6);
  block.write(value, offset + 8, 'latin1');
  if (length > value.length) block[offset + 8 + value.length] = pad;
  return offset + 8 + length;
}

/**
 * Scans the instances of the index at `<root>/index.sqlite` and writes them as items to `out`.
 * Synchronous SQLite and encoding, asynchronous file writes of full blocks.
 */
export async function scanIndexToItems(root: string, out: string): Promise<ScanResult> {
  const db = await openSqlite(path.join(root, 'index.sqlite'));
  const file = await open(out, 'w');
  try {
    const rows = db
      .prepare(
        'SELECT sop_class_uid AS c, sop_instance_uid AS i, instance_number AS n, ' +
          'transfer_syntax_uid AS t FROM instances',
      )
      .iterate();
    let block = Buffer.allocUnsafe(BLOCK_BYTES);
    let offset = 0;
    let records = 0;
    let bytes = 0;
    for (const row of rows) {
      if (offset + MAX_ITEM_BYTES > BLOCK_BYTES) {
        await file.write(block, 0, offset);
        bytes += offset;
        block = Buffer.allocUnsafe(BLOCK_BYTES);
        offset = 0;
      }
      const start = offset;
      // Item (FFFE,E000) with its length filled in once its elements are written (PS3.5 7.5).
      block.writeUInt16LE(0xfffe, offset);
      block.writeUInt16LE(0xe000, offset + 2);
      offset += 8;
      offset = writeText(block, offset, 0x0008, 0x0016, 'UI', String(row['c']), 0);
      offset = writeText(block, offset, 0x0008, 0x0018, 'UI', String(row['i']), 0);
      offset = writeText(block, offset, 0x0020, 0x0013, 'IS', String(row['n'] ?? ''), 0x20);
      offset = writeText(block, offset, 0x0008, 0x040e, 'UI', String(row['t']), 0);
      block.writeUInt32LE(offset - start - 8, start + 4);
      records++;
    }
    if (offset > 0) await file.write(block, 0, offset);
    bytes += offset;
    return { records, bytes };
  } finally {
    await file.close();
    db.close();
  }
}
