// Reading what a peer (or our SCP) stored, and comparing it with what was sent: the data set
// bytes after each file's own Part 10 header, and the UIDs of its File Meta Information.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { openPart10File } from '@dicomnet/data';
import { DEFLATED } from './uids.js';

/** One Part 10 file: its meta UIDs and its data set exactly as stored. */
export interface StoredInstance {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly dataSet: Buffer;
}

/** Reads a (small) Part 10 file: header through our reader, data set from `dataSetOffset` on. */
export async function readInstance(file: string): Promise<StoredInstance> {
  const { meta, dataSetOffset } = await openPart10File(file);
  const bytes = await readFile(file);
  return {
    path: file,
    sopClassUid: meta.mediaStorageSopClassUid,
    sopInstanceUid: meta.mediaStorageSopInstanceUid,
    transferSyntaxUid: meta.transferSyntaxUid,
    dataSet: bytes.subarray(dataSetOffset),
  };
}

/** Every file in `dir` (not recursive), by SOP Instance UID; also the names, for leftovers. */
export async function readFolder(
  dir: string,
): Promise<{ byUid: Map<string, StoredInstance>; names: string[] }> {
  const names = (await readdir(dir)).sort();
  const byUid = new Map<string, StoredInstance>();
  for (const name of names) {
    const instance = await readInstance(path.join(dir, name));
    byUid.set(instance.sopInstanceUid, instance);
  }
  return { byUid, names };
}

/** The fields every sent file is compared on. */
export interface SentInstance {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
}

/**
 * Asserts that `dir` holds exactly the `sent` instances (no more, no temporary leftovers), each
 * with the same SOP class, instance and transfer syntax in its meta and the same data set
 * bytes as the sent file.
 */
export async function expectFolderHolds(
  dir: string,
  sent: readonly SentInstance[],
  options: { readonly inflate?: boolean } = {},
): Promise<void> {
  const { byUid, names } = await readFolder(dir);
  expect(names).toHaveLength(sent.length);
  for (const instance of sent) {
    const stored = byUid.get(instance.sopInstanceUid);
    expect(stored, `${instance.sopInstanceUid} stored`).toBeDefined();
    if (stored === undefined) continue;
    await expectSameInstance(stored, instance, options);
  }
}

/** Asserts one stored instance has the sent file's meta UIDs and its data set byte for byte. */
export async function expectSameInstance(
  stored: StoredInstance,
  sent: SentInstance,
  options: { readonly inflate?: boolean } = {},
): Promise<void> {
  const original = await readInstance(sent.path);
  expect({
    sopClassUid: stored.sopClassUid,
    sopInstanceUid: stored.sopInstanceUid,
    transferSyntaxUid: stored.transferSyntaxUid,
  }).toEqual({
    sopClassUid: sent.sopClassUid,
    sopInstanceUid: sent.sopInstanceUid,
    transferSyntaxUid: sent.transferSyntaxUid,
  });
  expect(original.transferSyntaxUid).toBe(sent.transferSyntaxUid);
  if (options.inflate === true && sent.transferSyntaxUid === DEFLATED) {
    // A peer that decodes and re-encodes (Orthanc) deflates again with its own zlib settings:
    // compare what the deflate streams hold (PS3.5 A.5; the pad byte is after the stream end).
    const inflated = inflateRawSync(stored.dataSet).equals(inflateRawSync(original.dataSet));
    expect(inflated, `inflated data set of ${path.basename(stored.path)}`).toBe(true);
    return;
  }
  // Buffer.equals, not toEqual: a failing toEqual on 17 KB of bytes prints a useless diff.
  const same =
    stored.dataSet.equals(original.dataSet) ||
    isPaddedDeflate(stored.dataSet, original.dataSet, sent.transferSyntaxUid);
  expect(
    same,
    `data set of ${path.basename(stored.path)} (${stored.dataSet.length} bytes) equals ${path.basename(sent.path)} (${original.dataSet.length} bytes)`,
  ).toBe(true);
}

/**
 * An odd-length deflated data set travels with one trailing 00H: "If the Deflate algorithm
 * produces an odd number of bytes then a single trailing NULL byte shall be added" (PS3.5 A.5),
 * and PDVs hold even lengths (PS3.8 E.1). DCMTK's dcmconv +td writes files without that byte,
 * storescu adds it on the wire, and a receiver stores what it received.
 */
function isPaddedDeflate(stored: Buffer, original: Buffer, transferSyntaxUid: string): boolean {
  return (
    transferSyntaxUid === DEFLATED &&
    original.length % 2 === 1 &&
    stored.length === original.length + 1 &&
    stored[original.length] === 0 &&
    stored.subarray(0, original.length).equals(original)
  );
}

/** SHA-256 and length of a Part 10 file's data set, read as a stream (for files of gigabytes). */
export async function hashDataSet(file: string): Promise<{ sha256: string; bytes: number }> {
  const opened = await openPart10File(file);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, {
    start: opened.dataSetOffset,
    highWaterMark: 1 << 20,
  })) {
    const buffer = chunk as Buffer; // a stream without encoding yields Buffers
    hash.update(buffer);
    bytes += buffer.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
