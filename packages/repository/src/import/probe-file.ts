// What an import finds at the start of a file: a Part 10 file (with or without its preamble), a
// bare data set, or something else, and the UIDs a store needs, read with the streaming element
// reader from one open of the file.
import { open, type FileHandle } from 'node:fs/promises';
import {
  parsePart10Header,
  readAttributes,
  type Attributes,
  type FileMetaInformation,
} from '@dicomnet/data';

/** PS3.5 A.1 Implicit VR Little Endian, the default transfer syntax. */
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
/** PS3.5 A.2 Explicit VR Little Endian. */
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** The tags an import needs before storing: SOP Class UID, SOP Instance UID. */
const PROBE_TAGS = [0x00080016, 0x00080018] as const;
/** First read: the header and the two UIDs are nearly always within it. */
const HEAD_BYTES = 16 * 1024;
/** Later reads. */
const CHUNK_BYTES = 64 * 1024;
const PREAMBLE_BYTES = 128;
const DICM = Buffer.from('DICM', 'latin1');
// PS3.5 Table 6.2-1: the VRs an explicit VR element header can carry.
const VRS = new Set(
  'AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);

/**
 * How a file is laid out:
 * - `part10`: preamble, `DICM`, File Meta Information, data set (PS3.10 7.1);
 * - `part10-no-preamble`: `DICM` at byte 0 and the rest as Part 10 (written by some old tools;
 *   PS3.10 7.1 requires the preamble, but the meta says all an archive needs);
 * - `data-set`: no meta at all, a bare data set in Implicit or Explicit VR Little Endian that
 *   starts with a group 0008 element and holds SOP Class and SOP Instance UIDs.
 */
export type ImportLayout = 'part10' | 'part10-no-preamble' | 'data-set';

/** A file an import can store. */
export interface ProbedInstance {
  readonly layout: ImportLayout;
  /** Offset of the first data set byte in the file. */
  readonly dataSetOffset: number;
  readonly transferSyntaxUid: string;
  /** (0008,0016) of the data set, when present. */
  readonly sopClassUid: string | undefined;
  /** (0008,0018) of the data set, when present. */
  readonly sopInstanceUid: string | undefined;
  /** The File Meta Information, for the Part 10 layouts. */
  readonly meta: FileMetaInformation | undefined;
  /**
   * The data set's bytes when the first read took the whole file: a small file is then stored
   * without being opened again. Undefined for larger files (read again as a stream).
   */
  readonly dataSet: Uint8Array | undefined;
}

/** What {@link probeFile} found: an instance to store, or why the file is not one. */
export type ProbeResult = (
  | { readonly kind: 'instance'; readonly instance: ProbedInstance }
  | { readonly kind: 'not-dicom'; readonly detail: string }
) & {
  /** Bytes of the file. */
  readonly sizeBytes: number;
};

/**
 * Reads the start of a file and, for a DICOM file, its transfer syntax and SOP UIDs, reading
 * only as far as (0008,0018). A file neither Part 10 nor clearly a bare data set is `not-dicom`.
 * @throws Part 10 header errors of `@dicomnet/data` (a `DICM` file whose meta is broken) and
 *   element reader errors (its data set cannot be parsed); file system errors; the signal's reason.
 */
export async function probeFile(path: string, signal?: AbortSignal): Promise<ProbeResult> {
  const handle = await open(path, 'r');
  try {
    const reader = new HandleReader(handle, signal);
    const { size: sizeBytes } = await handle.stat();
    let head = await reader.read(HEAD_BYTES);
    const hasPreamble = head.byteLength >= PREAMBLE_BYTES + 4 && startsWith(head, PREAMBLE_BYTES);
    if (hasPreamble || startsWith(head, 0)) {
      // Without the preamble the same parser runs on the bytes behind a blank one.
      const shift = hasPreamble ? 0 : PREAMBLE_BYTES;
      for (;;) {
        const bytes = shift === 0 ? head : concat(new Uint8Array(PREAMBLE_BYTES), head);
        const parsed = parsePart10Header(bytes, reader.ended);
        if ('header' in parsed) {
          const dataSetOffset = parsed.header.dataSetOffset - shift;
          const meta = parsed.header.meta;
          const whole = reader.ended ? head.subarray(dataSetOffset) : undefined;
          const attributes = await readAttributes(
            reader.chunksFrom(head.subarray(dataSetOffset)),
            PROBE_TAGS,
            { transferSyntaxUid: meta.transferSyntaxUid, ...(signal ? { signal } : {}) },
          );
          return instanceOf(
            hasPreamble ? 'part10' : 'part10-no-preamble',
            { dataSetOffset, transferSyntaxUid: meta.transferSyntaxUid, meta, dataSet: whole },
            attributes,
            sizeBytes,
          );
        }
        const more = await reader.read(CHUNK_BYTES);
        head = concat(head, more);
      }
    }
    const transferSyntaxUid = bareDataSetSyntax(head);
    if (transferSyntaxUid === undefined)
      return {
        kind: 'not-dicom',
        detail: 'no "DICM" prefix and no data set at its start',
        sizeBytes,
      };
    const whole = reader.ended ? head : undefined;
    let attributes: Attributes;
    try {
      attributes = await readAttributes(reader.chunksFrom(head), PROBE_TAGS, {
        transferSyntaxUid,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      signal?.throwIfAborted();
      const message = error instanceof Error ? error.message : String(error);
      return {
        kind: 'not-dicom',
        detail: `no "DICM" prefix, and not a data set: ${message}`,
        sizeBytes,
      };
    }
    const probed = instanceOf(
      'data-set',
      { dataSetOffset: 0, transferSyntaxUid, meta: undefined, dataSet: whole },
      attributes,
      sizeBytes,
    );
    // Clearly a data set only when it names its instance: otherwise a file that happens to start
    // with 08 00 would be taken for one.
    if (probed.instance.sopClassUid === undefined || probed.instance.sopInstanceUid === undefined)
      return {
        kind: 'not-dicom',
        detail: 'no "DICM" prefix, and no SOP Class and Instance UIDs',
        sizeBytes,
      };
    return probed;
  } finally {
    await handle.close();
  }
}

/**
 * The transfer syntax of a bare data set starting at byte 0, or undefined when the bytes do not
 * look like one: the first element must be in group 0008 (a data set's lowest group after the
 * meta's 0002, PS3.5 7.1: ascending order), Explicit VR when a VR follows the tag.
 */
function bareDataSetSyntax(head: Uint8Array): string | undefined {
  if (head.byteLength < 8) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint16(0, true) !== 0x0008) return undefined;
  const vr = String.fromCharCode(head[4] ?? 0, head[5] ?? 0);
  if (VRS.has(vr)) return EXPLICIT_VR_LITTLE_ENDIAN;
  // Implicit VR: a 32-bit length, which for a first element of group 0008 is small and even
  // (PS3.5 7.1.1: values have even lengths).
  const length = view.getUint32(4, true);
  return length % 2 === 0 && length < 1024 * 1024 ? IMPLICIT_VR_LITTLE_ENDIAN : undefined;
}

function instanceOf(
  layout: ImportLayout,
  found: Pick<ProbedInstance, 'dataSetOffset' | 'transferSyntaxUid' | 'meta' | 'dataSet'>,
  attributes: Attributes,
  sizeBytes: number,
): ProbeResult & { kind: 'instance' } {
  return {
    kind: 'instance',
    instance: {
      layout,
      ...found,
      sopClassUid: uidOf(attributes, '00080016'),
      sopInstanceUid: uidOf(attributes, '00080018'),
    },
    sizeBytes,
  };
}

function uidOf(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key]?.Value?.[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function startsWith(bytes: Uint8Array, offset: number): boolean {
  return DICM.every((byte, i) => bytes[offset + i] === byte);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** Sequential reads of one open file. */
class HandleReader {
  #position = 0;
  #ended = false;

  constructor(
    readonly handle: FileHandle,
    readonly signal: AbortSignal | undefined,
  ) {}

  /** Whether the end of the file was met. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The next bytes, at most `size`; empty at the end. */
  async read(size: number): Promise<Uint8Array> {
    if (this.#ended) return new Uint8Array(0);
    this.signal?.throwIfAborted();
    const buffer = Buffer.allocUnsafe(size); // only the bytes read are looked at
    const { bytesRead } = await this.handle.read(buffer, 0, size, this.#position);
    this.#position += bytesRead;
    if (bytesRead < size) this.#ended = true;
    return buffer.subarray(0, bytesRead);
  }

  /** `first`, then the rest of the file chunk by chunk. */
  async *chunksFrom(first: Uint8Array): AsyncGenerator<Uint8Array> {
    if (first.byteLength > 0) yield first;
    for (;;) {
      const chunk = await this.read(CHUNK_BYTES);
      if (chunk.byteLength === 0) return;
      yield chunk;
    }
  }
}
