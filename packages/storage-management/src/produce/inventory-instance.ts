// One Inventory SOP Instance (PS3.3 A.88: General Equipment C.7.5.1, Inventory C.38.1, SOP Common
// C.12.1) as the stream of bytes a sink stores, and its keys. The records, already encoded, are
// copied into the output chunks: study, series and instance items are written with undefined
// lengths (PS3.5 7.5.2), so nothing but the current chunk is held; the few elements outside them
// go through the element writer.
import {
  TransferSyntax,
  tagNumber,
  writeElementsSync,
  type DataElement,
  type DataSet,
  type ElementWriterInput,
} from '@dicomnet/data';
import type { ProducedInstance } from '../inventory-sink.js';
import { Tag } from '../tags.js';
import { INVENTORY_STORAGE_SOP_CLASS } from '../uids.js';
import { dicomDate, dicomTime } from './dicom-time.js';
import { elementToken, hasNonAscii, type EncodedRecord } from './record-encoder.js';
import type { InventoryCompletionStatus, InventoryRequestSpec } from './types.js';

/** A node of the tree below an instance, as its Incorporated Inventory Instance items say. */
export interface IncorporatedNode {
  readonly sopInstanceUid: string;
  /** The node's own incorporated instances (PS3.3 C.38.2.3: each node carries its subtree). */
  readonly children: readonly IncorporatedNode[];
}

/** What one Inventory instance holds. */
export interface InventoryInstanceContent {
  readonly sopInstanceUid: string;
  readonly request: InventoryRequestSpec;
  readonly completion: InventoryCompletionStatus;
  /** Records in depth-first order, each study first (a study may be a part of one, see split). */
  readonly records: readonly EncodedRecord[];
  /** Study records among `records`: Number of Study Records in Instance (0008,0427). */
  readonly studyRecords: number;
  /** Study records of this instance and of all it incorporates: (0008,0428). */
  readonly totalStudyRecords: number;
  /** The instances this one incorporates (PS3.3 C.38.1.1.5). */
  readonly incorporated?: readonly IncorporatedNode[];
  /** Whether a record needs more than ASCII (then Specific Character Set is ISO_IR 192). */
  readonly nonAscii: boolean;
}

/** Manufacturer (0008,0070) of the General Equipment Module (PS3.3 C.7.5.1, Type 2). */
const INVENTORY_MANUFACTURER = 'dicomnet';
const MODEL_NAME = 'dicomnet storage-management';

function* sequence(
  tag: string,
  items: () => Iterable<Iterable<ElementWriterInput>>,
): Generator<ElementWriterInput> {
  yield { kind: 'sequence', tag: tagNumber(tag), vr: 'SQ', length: undefined };
  let index = 0;
  for (const item of items()) {
    yield { kind: 'item', index: index++, length: undefined };
    yield* item;
    yield { kind: 'item-end' };
  }
  yield { kind: 'sequence-end' };
}

/** Items of the Inventory Reference Macro (PS3.3 Table C.38.2-3), recursively. */
function* referenceItems(
  nodes: readonly IncorporatedNode[],
): Generator<Generator<ElementWriterInput>> {
  for (const node of nodes) yield referenceItem(node);
}

function* referenceItem(node: IncorporatedNode): Generator<ElementWriterInput> {
  if (node.children.length > 0) {
    // PS3.3 C.38.2.3: 1C, required when the referenced instance incorporates others.
    yield* sequence(Tag.IncorporatedInventoryInstanceSequence, () => referenceItems(node.children));
  }
  yield elementInput(Tag.ReferencedSOPClassUID, { vr: 'UI', Value: [INVENTORY_STORAGE_SOP_CLASS] });
  yield elementInput(Tag.ReferencedSOPInstanceUID, { vr: 'UI', Value: [node.sopInstanceUid] });
}

const DEPTH: Readonly<Record<EncodedRecord['kind'], number>> = { study: 0, series: 1, instance: 2 };

// Explicit VR Little Endian headers of undefined length and delimiters (PS3.5 7.1.2, 7.5).
const UNDEFINED = [0xff, 0xff, 0xff, 0xff];
const ITEM_BYTES = Uint8Array.from([0xfe, 0xff, 0x00, 0xe0, ...UNDEFINED]);
const ITEM_DELIMITATION = Uint8Array.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0]);
const SEQUENCE_DELIMITATION = Uint8Array.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
const sequenceHeader = (tag: string): Uint8Array => {
  const number = tagNumber(tag);
  const group = number >>> 16;
  const element = number & 0xffff;
  return Uint8Array.from([
    group & 0xff, group >>> 8, element & 0xff, element >>> 8, 0x53, 0x51, 0, 0, ...UNDEFINED,
  ]); // prettier-ignore
};
const CHILD_SEQUENCE = [Tag.InventoriedSeriesSequence, Tag.InventoriedInstancesSequence].map(
  sequenceHeader,
);
const STUDIES_SEQUENCE = sequenceHeader(Tag.InventoriedStudiesSequence);

const CHUNK_BYTES = 64 * 1024;

/** Output chunks of CHUNK_BYTES, filled by copying bytes in. */
class ChunkFiller {
  #chunk = new Uint8Array(CHUNK_BYTES);
  #used = 0;
  /** The chunks filled since the last {@link take}. */
  #full: Uint8Array[] = [];

  /** Appends `bytes[start, end)`. */
  put(bytes: Uint8Array, start = 0, end = bytes.length): void {
    while (start < end) {
      const count = Math.min(end - start, CHUNK_BYTES - this.#used);
      const chunk = this.#chunk;
      // Most pieces are a record's few dozen bytes: a loop copies those without making a view.
      if (count < 64) {
        let at = this.#used;
        for (let index = start; index < start + count; index++) chunk[at++] = bytes[index]!;
      } else {
        chunk.set(bytes.subarray(start, start + count), this.#used);
      }
      this.#used += count;
      start += count;
      if (this.#used === CHUNK_BYTES) {
        this.#full.push(chunk);
        this.#chunk = new Uint8Array(CHUNK_BYTES);
        this.#used = 0;
      }
    }
  }

  /** The filled chunks (and with `all`, what the last one holds so far), handed over. */
  take(all = false): Uint8Array[] {
    const full = this.#full;
    this.#full = [];
    if (all && this.#used > 0) {
      full.push(this.#chunk.subarray(0, this.#used));
      this.#chunk = new Uint8Array(CHUNK_BYTES);
      this.#used = 0;
    }
    return full;
  }
}

/**
 * The Inventoried Studies Sequence (0008,0423) from `records` (flat, depth first), with their
 * Inventoried Series (0008,0424) and Instances (0008,0425) Sequences nested, copied into `out`
 * in one loop: a record's elements after its child sequence are written when the sequence closes.
 * Undefined lengths throughout (PS3.5 7.5.2), so nothing but the output chunk is held.
 * Yields the chunks filled after each record.
 */
function* recordBytes(
  records: readonly EncodedRecord[],
  level: InventoryRequestSpec['level'],
  out: ChunkFiller,
): Generator<Uint8Array[]> {
  const deepest = level === 'STUDY' ? 0 : level === 'SERIES' ? 1 : 2;
  const open: EncodedRecord[] = [];
  const close = (): void => {
    const record = open.pop()!;
    out.put(SEQUENCE_DELIMITATION);
    out.put(record.slab, record.childAt, record.end);
    out.put(ITEM_DELIMITATION);
  };
  out.put(STUDIES_SEQUENCE);
  for (const record of records) {
    const depth = DEPTH[record.kind];
    if (depth > open.length) throw new TypeError(`a ${record.kind} record without its parent`);
    while (open.length > depth) close();
    out.put(ITEM_BYTES);
    if (depth < deepest) {
      out.put(record.slab, record.start, record.childAt);
      out.put(CHILD_SEQUENCE[depth]!);
      open.push(record);
    } else {
      out.put(record.slab, record.start, record.end);
      out.put(ITEM_DELIMITATION);
    }
    const full = out.take();
    if (full.length > 0) yield full;
  }
  while (open.length > 0) close();
  out.put(SEQUENCE_DELIMITATION);
}

function scopeElement(scope: DataSet | undefined): DataElement {
  // PS3.3 C.38.1.1.2 and C.38.2.1: the scope as applied; an empty sequence is the universal match.
  const applied = scope !== undefined && Object.keys(scope).length > 0 ? [scope] : [];
  return { vr: 'SQ', Value: applied };
}

/** An element outside the records: text as a value token (as records are), others as a model. */
function elementInput(tag: string, element: DataElement): ElementWriterInput {
  if (typeof element.Value?.[0] === 'string') return elementToken(tag, element);
  return { kind: 'model-element', tag: tagNumber(tag), element };
}

/**
 * The top-level elements of one Inventory instance but its sequences of records and references,
 * in ascending tag order (PS3.5 7.1): those before the Inventoried Studies Sequence (0008,0423)
 * and those after it. Made once, both written and handed to the sink as the instance's keys.
 */
function keyElements(content: InventoryInstanceContent): {
  before: DataSet;
  after: DataSet;
} {
  const { request } = content;
  const created = new Date(); // Instance Creation Date/Time: when this instance is written
  const header: DataSet = {
    '00080012': { vr: 'DA', Value: [dicomDate(created)] }, // Instance Creation Date, C.12.1
    '00080013': { vr: 'TM', Value: [dicomTime(created)] },
    [Tag.SOPClassUID]: { vr: 'UI', Value: [INVENTORY_STORAGE_SOP_CLASS] },
    [Tag.SOPInstanceUID]: { vr: 'UI', Value: [content.sopInstanceUid] },
    // PS3.3 C.38.1.1.1: when production began, the same in every instance of the production.
    [Tag.ContentDate]: { vr: 'DA', Value: [dicomDate(request.startedAt)] },
    [Tag.ContentTime]: { vr: 'TM', Value: [dicomTime(request.startedAt)] },
    '00080070': { vr: 'LO', Value: [INVENTORY_MANUFACTURER] }, // C.7.5.1, Type 2
    [Tag.TimezoneOffsetFromUTC]: { vr: 'SH', Value: ['+0000'] }, // C.12.1: our DA/TM/DT are UTC
    [Tag.ScopeOfInventorySequence]: scopeElement(request.scope),
    // Type 2 (C.38.1): present, empty when no purpose was given.
    [Tag.InventoryPurpose]:
      request.purpose === undefined || request.purpose === ''
        ? { vr: 'LT' }
        : { vr: 'LT', Value: [request.purpose] },
    [Tag.InventoryLevel]: { vr: 'CS', Value: [request.level] },
  };
  const after: DataSet = {
    [Tag.InventoryCompletionStatus]: { vr: 'CS', Value: [content.completion] },
    [Tag.NumberOfStudyRecordsInInstance]: { vr: 'UL', Value: [content.studyRecords] },
    // Type 1 in the INVENTORY directory record (PS3.3 F.5.48); its place in C.38.1 is
    // UNCONFIRMED: every instance carries it, counting the studies of its own subtree.
    [Tag.TotalNumberOfStudyRecords]: { vr: 'UV', Value: [BigInt(content.totalStudyRecords)] },
    '00081090': { vr: 'LO', Value: [MODEL_NAME] }, // Manufacturer's Model Name, C.7.5.1
    // Type 1C (C.38.1): present when a transaction of Inventory Creation asked for the inventory.
    ...(request.transactionUid === undefined
      ? {}
      : { [Tag.TransactionUID]: { vr: 'UI', Value: [request.transactionUid] } }),
  };
  // PS3.5 6.1.2.3: without (0008,0005) text is the default repertoire; the purpose and the scope
  // are the caller's text and may need more, as a record may.
  const nonAscii = content.nonAscii || hasNonAscii(header) || hasNonAscii(after);
  const before: DataSet = nonAscii
    ? { [Tag.SpecificCharacterSet]: { vr: 'CS', Value: ['ISO_IR 192'] }, ...header }
    : header;
  return { before, after };
}

/**
 * One Inventory instance's data set in Explicit VR Little Endian, in ascending tag order (PS3.5
 * 7.1): the elements outside the records through the element writer, the records copied as
 * encoded.
 */
async function* inventoryInstanceBytes(
  content: InventoryInstanceContent,
  keys: { before: DataSet; after: DataSet },
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  const syntax = { transferSyntaxUid: TransferSyntax.ExplicitVrLittleEndian };
  const out = new ChunkFiller();
  const head: ElementWriterInput[] = Object.entries(keys.before).map(([tag, element]) =>
    elementInput(tag, element),
  );
  const incorporated = content.incorporated ?? [];
  if (incorporated.length > 0) {
    head.push(
      ...sequence(Tag.IncorporatedInventoryInstanceSequence, () => referenceItems(incorporated)),
    );
  }
  for (const chunk of writeElementsSync(head, syntax)) out.put(chunk);
  // Type UNCONFIRMED (storage-management.md §12): written always, empty in a node that only
  // incorporates others.
  for (const full of recordBytes(content.records, content.request.level, out)) {
    signal?.throwIfAborted();
    yield* full;
  }
  const tail = Object.entries(keys.after).map(([tag, element]) => elementInput(tag, element));
  for (const chunk of writeElementsSync(tail, syntax)) out.put(chunk);
  signal?.throwIfAborted();
  yield* out.take(true);
}

/** One instance, ready for a sink: its data set in Explicit VR Little Endian, streamed. */
export function producedInstance(
  content: InventoryInstanceContent,
  signal?: AbortSignal,
): ProducedInstance {
  const transferSyntaxUid = TransferSyntax.ExplicitVrLittleEndian;
  const keys = keyElements(content);
  return {
    sopInstanceUid: content.sopInstanceUid,
    sopClassUid: INVENTORY_STORAGE_SOP_CLASS,
    transferSyntaxUid,
    keys: { ...keys.before, ...keys.after },
    dataSet: inventoryInstanceBytes(content, keys, signal),
  };
}
