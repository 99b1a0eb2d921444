/**
 * Entry point of dist/dcmjs-large.js, the child process of the 50 MB case: builds the set, then
 * times one encode or one decode through dcmjs raw or through our adapter, three times, and
 * reports times and memory over IPC. One child per (codec, operation), so that its peak RSS
 * belongs to that operation alone.
 */
import type { DataSet } from '@dicomnet/data';
import { createDcmjsCodec } from '@dicomnet/data';
import { now, secondsSince } from '../measure.js';
import { pixelDataSet, SEED, seededRandom } from './data-sets.js';
import { collectGarbage } from './gc.js';
import type { LargeCaseConfig, LargeCaseResult } from './large-case.js';
import { exactBuffer, rawDecode, rawEncode } from './raw-dcmjs.js';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const PIXEL_DATA = '7FE00010';
const REPEATS = 3;

/**
 * The encoded set, built without encoding the pixels: the adapter encodes the small elements,
 * then the Pixel Data element (Explicit VR LE: tag, "OW", 2 reserved bytes, 32-bit length) and
 * its value are appended (7FE0,0010 is the last tag).
 */
function encodedWithoutEncoding(model: DataSet, pixels: Uint8Array): Uint8Array {
  const { [PIXEL_DATA]: _pixelData, ...rest } = model;
  const head = createDcmjsCodec().encode(rest, EXPLICIT_VR_LITTLE_ENDIAN);
  const bytes = new Uint8Array(head.byteLength + 12 + pixels.byteLength);
  bytes.set(head);
  const view = new DataView(bytes.buffer, head.byteLength, 12);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  view.setUint8(4, 0x4f); // 'O'
  view.setUint8(5, 0x57); // 'W'
  view.setUint32(8, pixels.byteLength, true);
  bytes.set(pixels, head.byteLength + 12);
  return bytes;
}

function main(): void {
  const config = JSON.parse(process.argv[2] ?? '') as LargeCaseConfig; // written by the parent
  const syntax = EXPLICIT_VR_LITTLE_ENDIAN;
  const codec = createDcmjsCodec({ maxDataSetBytes: config.pixelBytes + 1024 * 1024 });
  const model = pixelDataSet(seededRandom(SEED), config.pixelBytes);
  const pixels = model[PIXEL_DATA]?.InlineBinary ?? new Uint8Array(0);
  let work: () => unknown;
  if (config.operation === 'encode') {
    if (config.codec === 'adapter') {
      work = () => codec.encode(model, syntax);
    } else {
      const { [PIXEL_DATA]: _pixelData, ...rest } = model;
      const dict = rawDecode(exactBuffer(codec.encode(rest, syntax)), syntax);
      dict[PIXEL_DATA] = { vr: 'OW', Value: [pixels.buffer] };
      work = () => rawEncode(dict, syntax);
    }
  } else {
    const bytes = encodedWithoutEncoding(model, pixels);
    if (config.codec === 'adapter') {
      work = () => codec.decode(bytes, syntax);
    } else {
      const buffer = bytes.buffer as ArrayBuffer; // holds exactly the data set
      work = () => rawDecode(buffer, syntax);
    }
  }
  collectGarbage();
  const rssBeforeBytes = process.memoryUsage.rss();
  const milliseconds: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const start = now();
    const result = work();
    milliseconds.push(secondsSince(start) * 1000);
    if (result === undefined) throw new TypeError('no result');
    collectGarbage();
  }
  const message: LargeCaseResult = {
    milliseconds,
    rssBeforeBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024, // maxRSS is in KiB
  };
  process.send?.(message);
  process.disconnect();
}

main();
