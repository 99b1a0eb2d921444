// One Inventory SOP Instance (PS3.3 A.88: General Equipment C.7.5.1, Inventory C.38.1, SOP Common
// C.12.1) as element-writer tokens, and as the stream of bytes a sink stores. The records stream
// through: study, series and instance items are written with undefined lengths (PS3.5 7.5.2), so
// nothing but the current record is encoded at a time.
import {
  TransferSyntax,
  tagNumber,
  writeElements,
  type DataElement,
  type DataSet,
  type ElementWriterInput,
} from '@dicomnet/data';
import type { ProducedInstance } from '../inventory-sink.js';
import { Tag } from '../tags.js';
import { INVENTORY_STORAGE_SOP_CLASS } from '../uids.js';
import { dicomDate, dicomTime } from './dicom-time.js';
import { elementToken, hasNonAscii, type EncodedRecord } from './record-tokens.js';
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

const ITEM_END: ElementWriterInput = { kind: 'item-end' };
const SEQUENCE_END: ElementWriterInput = { kind: 'sequence-end' };
const DEPTH: Readonly<Record<EncodedRecord['kind'], number>> = { study: 0, series: 1, instance: 2 };
const CHILD_SEQUENCE = [Tag.InventoriedSeriesSequence, Tag.InventoriedInstancesSequence].map(
  tagNumber,
);

/**
 * The items of the Inventoried Studies Sequence (0008,0423) from `records` (flat, depth first),
 * with their Inventoried Series (0008,0424) and Instances (0008,0425) Sequences nested, in one
 * loop: a record's elements after its child sequence are written when the sequence closes.
 */
function* recordItems(
  records: readonly EncodedRecord[],
  level: InventoryRequestSpec['level'],
): Generator<ElementWriterInput> {
  const deepest = level === 'STUDY' ? 0 : level === 'SERIES' ? 1 : 2;
  const open: EncodedRecord[] = [];
  const counters = [0, 0, 0];
  // One array reused for each record's tokens: no generator per record.
  const tokens: ElementWriterInput[] = [];
  const close = function* (): Generator<ElementWriterInput> {
    const record = open.pop()!;
    yield SEQUENCE_END;
    tokens.length = 0;
    record.appendTokens(record.childAt, record.size, tokens);
    for (const token of tokens) yield token;
    yield ITEM_END;
  };
  for (const record of records) {
    const depth = DEPTH[record.kind];
    if (depth > open.length) throw new TypeError(`a ${record.kind} record without its parent`);
    while (open.length > depth) yield* close();
    yield { kind: 'item', index: counters[depth]!++, length: undefined };
    if (depth < deepest) {
      tokens.length = 0;
      record.appendTokens(0, record.childAt, tokens);
      for (const token of tokens) yield token;
      yield { kind: 'sequence', tag: CHILD_SEQUENCE[depth]!, vr: 'SQ', length: undefined };
      counters[depth + 1] = 0;
      open.push(record);
    } else {
      tokens.length = 0;
      record.appendTokens(0, record.size, tokens);
      for (const token of tokens) yield token;
      yield ITEM_END;
    }
  }
  while (open.length > 0) yield* close();
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

/** The tokens of one Inventory instance's data set, in ascending tag order (PS3.5 7.1). */
function* inventoryInstanceTokens(
  content: InventoryInstanceContent,
  keys: { before: DataSet; after: DataSet },
): Generator<ElementWriterInput> {
  for (const [tag, element] of Object.entries(keys.before)) yield elementInput(tag, element);
  const incorporated = content.incorporated ?? [];
  if (incorporated.length > 0) {
    yield* sequence(Tag.IncorporatedInventoryInstanceSequence, () => referenceItems(incorporated));
  }
  // Type UNCONFIRMED (storage-management.md §12): written always, empty in a node that only
  // incorporates others.
  yield {
    kind: 'sequence',
    tag: tagNumber(Tag.InventoriedStudiesSequence),
    vr: 'SQ',
    length: undefined,
  };
  yield* recordItems(content.records, content.request.level);
  yield SEQUENCE_END;
  for (const [tag, element] of Object.entries(keys.after)) yield elementInput(tag, element);
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
    dataSet: writeElements(inventoryInstanceTokens(content, keys), {
      transferSyntaxUid,
      lengths: 'as-given',
      ...(signal === undefined ? {} : { signal }),
    }),
  };
}
