// Producing an inventory: the source's records are split into leaf instances of at most
// `maxRecordsPerInstance` records (PS3.3 C.38.1.1.5), each stored in the sink as it closes, then
// the tree above them is written (inventory-tree.ts). A leaf is held in memory until it closes
// (at most `maxRecordsPerInstance` records): its Specific Character Set, written first, depends on
// every value in it, and whether it is the only instance (then it is the root) is known only then.
import type { InventoryEntry } from '../inventory-source.js';
import { Tag } from '../tags.js';
import { INVENTORY_STORAGE_SOP_CLASS } from '../uids.js';
import { dicomDateTime } from './dicom-time.js';
import { InventoryProductionError } from './errors.js';
import { producedInstance } from './inventory-instance.js';
import { fanOutOf, finishInventory } from './inventory-tree.js';
import { leafUid, rootUid } from './inventory-uids.js';
import { RecordEncoder, type EncodedRecord } from './record-encoder.js';
import type {
  InventoryRoot,
  LeafReference,
  ProduceOptions,
  ProductionCheckpoint,
} from './types.js';

/** Default of {@link ProduceOptions.maxRecordsPerInstance}. */
export const DEFAULT_MAX_RECORDS_PER_INSTANCE = 10_000;

/** Records of one instance (or one study) being gathered. */
class RecordBuffer {
  readonly encoded: EncodedRecord[] = [];
  studies = 0;
  nonAscii = false;

  get records(): number {
    return this.encoded.length;
  }

  push(record: EncodedRecord): void {
    this.encoded.push(record);
    if (record.kind === 'study') this.studies++;
    if (record.nonAscii) this.nonAscii = true;
  }

  append(other: RecordBuffer): void {
    for (const record of other.encoded) this.encoded.push(record);
    this.studies += other.studies;
    this.nonAscii ||= other.nonAscii;
  }
}

function maxRecordsOf(value: number | undefined): number {
  const max = value ?? DEFAULT_MAX_RECORDS_PER_INSTANCE;
  if (!Number.isInteger(max) || max < 1) {
    throw new InventoryProductionError(
      'DICOMNET_INVENTORY_PRODUCE_INVALID_OPTION',
      `maxRecordsPerInstance must be a positive integer, not ${max}`,
    );
  }
  return max;
}

/** A study record stamped with Item Inventory DateTime (0008,0404): when it was read. */
function stamped(entry: InventoryEntry & { kind: 'study' }): InventoryEntry['attributes'] {
  return {
    ...entry.attributes,
    [Tag.ItemInventoryDateTime]: { vr: 'DT', Value: [dicomDateTime(new Date())] },
  };
}

/**
 * Produces an inventory of what `source` holds in `request.query`'s scope, at `request.level`,
 * into `sink`: leaves of at most `maxRecordsPerInstance` records, closed at a study boundary; a
 * study bigger than that is split at series or instance boundaries into several study items
 * (PS3.17 YYYY.7.10 allows a study in several items), each repeating the study's attributes (and
 * its series' where a series is split). A small inventory is one instance, its own root.
 *
 * Checkpoints: after each leaf that ends at a study boundary is durable, `onCheckpoint` is awaited
 * with the stored leaves and the cursor of their last study. Leaves holding the first parts of a
 * split study are stored as they fill but checkpointed with the leaf that ends the study; a resumed
 * production writes them again under the same UIDs (inventory-uids.ts), replacing them.
 * @returns The root of the tree, with COMPLETE completion.
 * @throws {@link InventoryProductionError}; the source's and the sink's errors; `signal.reason`.
 */
export async function produceInventory(options: ProduceOptions): Promise<InventoryRoot> {
  const { request, sink, source, signal } = options;
  const max = maxRecordsOf(options.maxRecordsPerInstance);
  const fanOut = fanOutOf(options.fanOut);
  signal?.throwIfAborted();
  const leaves: LeafReference[] = [...(options.resume?.leaves ?? [])];
  let storedStudies = options.resume?.studyRecords ?? 0;
  let checkpointed: ProductionCheckpoint = options.resume ?? { leaves: [], studyRecords: 0 };

  let leaf = new RecordBuffer(); // whole studies (or the last part of a split one)
  let leafCursor: string | undefined; // cursor of the last study in `leaf`
  let study: RecordBuffer | undefined; // the current study, not yet in `leaf`
  let studyRecord: EncodedRecord | undefined;
  let studyCursor: string | undefined;
  let seriesRecord: EncodedRecord | undefined;
  const encoder = new RecordEncoder();

  const storeLeaf = async (buffer: RecordBuffer): Promise<void> => {
    const sopInstanceUid = leafUid(request, leaves.length);
    await sink.store(
      producedInstance(
        {
          sopInstanceUid,
          request,
          // One part of the inventory: not complete with respect to the scope on its own.
          completion: 'PARTIAL',
          records: buffer.encoded,
          studyRecords: buffer.studies,
          totalStudyRecords: buffer.studies,
          nonAscii: buffer.nonAscii,
        },
        signal,
      ),
      signal,
    );
    leaves.push({ sopInstanceUid, studyRecords: buffer.studies });
    storedStudies += buffer.studies;
  };

  const closeLeaf = async (): Promise<void> => {
    await storeLeaf(leaf);
    leaf = new RecordBuffer();
    checkpointed = {
      ...(leafCursor === undefined ? {} : { after: leafCursor }),
      leaves: [...leaves],
      studyRecords: storedStudies,
    };
    await options.onCheckpoint?.(checkpointed);
  };

  const commitStudy = (): void => {
    if (study === undefined) return;
    leaf.append(study);
    leafCursor = studyCursor;
    study = undefined;
  };

  const add = async (entry: EncodedRecord, current: RecordBuffer): Promise<RecordBuffer> => {
    let target = current;
    if (leaf.records + target.records + 1 > max) {
      if (leaf.records > 0) await closeLeaf();
      // Context a part of a split study repeats: the study, and the series of an instance.
      const context = entry.kind === 'instance' ? 2 : 1;
      if (target.records + 1 > max && target.records > context) {
        await storeLeaf(target);
        target = new RecordBuffer();
        target.push(studyRecord!);
        if (entry.kind === 'instance') target.push(seriesRecord!);
      }
    }
    target.push(entry);
    return target;
  };

  const walk = source.entries(request.query, {
    level: request.level,
    ...(checkpointed.after === undefined ? {} : { after: checkpointed.after }),
    ...(signal === undefined ? {} : { signal }),
  });
  for await (const entry of walk) {
    signal?.throwIfAborted();
    if (entry.kind === 'study') {
      commitStudy();
      studyRecord = encoder.encode('study', stamped(entry));
      studyCursor = entry.cursor;
      seriesRecord = undefined;
      study = await add(studyRecord, new RecordBuffer());
      options.onProgress?.(storedStudies + leaf.studies + study.studies);
      continue;
    }
    if (study === undefined || (entry.kind === 'instance' && seriesRecord === undefined)) {
      throw new InventoryProductionError(
        'DICOMNET_INVENTORY_PRODUCE_RECORD_ORDER',
        `the source yielded ${entry.kind === 'series' ? 'a series before any study' : 'an instance before any series'}`,
      );
    }
    const record = encoder.encode(entry.kind, entry.attributes);
    if (record.kind === 'series') seriesRecord = record;
    // The common case without a promise: the record fits in the open leaf.
    if (leaf.records + study.records + 1 > max) study = await add(record, study);
    else study.push(record);
  }
  commitStudy();
  signal?.throwIfAborted();

  if (leaves.length === 0) {
    // PS3.3 C.38.1.1.5: an inventory within the limit is one instance, the root itself.
    const sopInstanceUid = rootUid(request);
    await sink.store(
      producedInstance(
        {
          sopInstanceUid,
          request,
          completion: 'COMPLETE',
          records: leaf.encoded,
          studyRecords: leaf.studies,
          totalStudyRecords: leaf.studies,
          nonAscii: leaf.nonAscii,
        },
        signal,
      ),
      signal,
    );
    return {
      sopClassUid: INVENTORY_STORAGE_SOP_CLASS,
      sopInstanceUid,
      totalStudyRecords: leaf.studies,
      completion: 'COMPLETE',
      instances: [sopInstanceUid],
    };
  }
  if (leaf.records > 0) await closeLeaf();
  return finishInventory({
    sink,
    request,
    checkpoint: checkpointed,
    completion: 'COMPLETE',
    fanOut,
    ...(signal === undefined ? {} : { signal }),
  });
}
