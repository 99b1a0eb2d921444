/**
 * The pixel data and private blobs the corpus dumps refer to, written once per corpus from a
 * fixed seed: image-like content (a disc on a background, with noise), so that JPEG Lossless
 * compresses it about as it compresses real images, and random bytes for the private blobs.
 * Every instance of a modality carries the same pixels: the readers never look at them.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../dcmjs/data-sets.js';
import type { CorpusModality } from './corpus-plan.js';
import { IMAGE_SHAPES } from './corpus-plan.js';
import { PIXEL_FILE, PRIVATE_BLOB_FILE, VENDOR_HEADER_FILE } from './image-modules.js';

/** Bytes of the private OB (0009,1010) and of the vendor header (0029,1010). */
const PRIVATE_BLOB_BYTES = 2048;
const VENDOR_HEADER_BYTES = 8192;

function pixels(modality: CorpusModality, seed: number): Uint8Array {
  const shape = IMAGE_SHAPES[modality];
  const random = seededRandom(seed);
  const bytesPerSample = shape.bitsAllocated / 8;
  const bytes = new Uint8Array(shape.rows * shape.columns * shape.frames * bytesPerSample);
  const view = new DataView(bytes.buffer);
  // 12-bit CT values, 16-bit elsewhere, 8-bit for US and SC.
  const top = modality === 'CT' ? 4095 : shape.bitsAllocated === 8 ? 255 : 65535;
  const centreRow = shape.rows / 2;
  const centreColumn = shape.columns / 2;
  const radius = Math.min(shape.rows, shape.columns) * 0.4;
  let offset = 0;
  for (let frame = 0; frame < shape.frames; frame++) {
    for (let row = 0; row < shape.rows; row++) {
      for (let column = 0; column < shape.columns; column++) {
        const distance = Math.hypot(row - centreRow, column - centreColumn + frame * 4);
        const base = distance < radius ? 0.55 + 0.2 * Math.cos(distance / 9) : 0.05;
        const value = Math.round(Math.min(1, Math.max(0, base + (random() - 0.5) * 0.06)) * top);
        if (bytesPerSample === 1) view.setUint8(offset, value);
        else view.setUint16(offset, value, true); // dump2dcm reads OW files as little endian
        offset += bytesPerSample;
      }
    }
  }
  return bytes;
}

function randomBytes(count: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const bytes = new Uint8Array(count);
  for (let index = 0; index < count; index++) bytes[index] = Math.floor(random() * 256);
  return bytes;
}

/** Writes every pixel file and blob into `dir`, dump2dcm's working folder. */
export async function writePixelFiles(dir: string): Promise<void> {
  const modalities = Object.keys(IMAGE_SHAPES) as CorpusModality[]; // the record's own keys
  for (const [index, modality] of modalities.entries()) {
    await writeFile(path.join(dir, PIXEL_FILE(modality)), pixels(modality, 500 + index));
  }
  await writeFile(path.join(dir, PRIVATE_BLOB_FILE), randomBytes(PRIVATE_BLOB_BYTES, 600));
  await writeFile(path.join(dir, VENDOR_HEADER_FILE), randomBytes(VENDOR_HEADER_BYTES, 601));
}
