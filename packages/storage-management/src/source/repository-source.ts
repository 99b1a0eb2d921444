// The default InventorySource: a Repository, walked with Repository.walk (studies, then their
// series, then their instances, in UID order, a few ordered queries per page of studies).
import { pathToFileURL } from 'node:url';
import type { DataElement, DataSet } from '@dicomnet/data';
import {
  INDEXED_ATTRIBUTES,
  WALK_ATTRIBUTES,
  type MatchRecord,
  type Query,
  type Repository,
  type WalkDepth,
  type WalkedRecord,
} from '@dicomnet/repository';
import type { InventoryEntry, InventorySource, InventoryWalkOptions } from '../inventory-source.js';
import type { InventoryLevel } from '../message-types.js';
import { Tag } from '../tags.js';

const DEPTH: Readonly<Record<InventoryLevel, WalkDepth>> = {
  STUDY: 'STUDY',
  SERIES: 'SERIES',
  INSTANCE: 'IMAGE',
};

const VR_OF = new Map<string, string>([
  ...INDEXED_ATTRIBUTES.map((attribute) => [attribute.tag, attribute.vr] as const),
  [WALK_ATTRIBUTES.studyUpdateDateTime, 'DT'],
  [WALK_ATTRIBUTES.removedFromOperationalUse, 'CS'],
]);

/** Keys a scope may match on: what the index holds, and what a walk adds (PS3.3 C.38.2.1). */
const MATCHABLE: ReadonlySet<string> = new Set(VR_OF.keys());

// Patient-level counts are Query/Retrieve return keys, not part of a study record.
const NOT_IN_STUDY_RECORD: ReadonlySet<string> = new Set(['00201200', '00201204']);
const AVAILABLE_TRANSFER_SYNTAX_UID = '00083002';
// A path made only of these needs no percent-encoding in a file URI (RFC 8089, RFC 3986 pchar).
const PLAIN_PATH = /^\/[A-Za-z0-9/._~-]*$/;

function elementOf(tag: string, values: readonly string[]): DataElement {
  const vr = VR_OF.get(tag) ?? 'UN';
  if (vr !== 'PN') return { vr, Value: values };
  return {
    vr,
    Value: values.map((value) => {
      const [alphabetic = '', ideographic = '', phonetic = ''] = value.split('=');
      return {
        ...(alphabetic === '' ? {} : { Alphabetic: alphabetic }),
        ...(ideographic === '' ? {} : { Ideographic: ideographic }),
        ...(phonetic === '' ? {} : { Phonetic: phonetic }),
      };
    }),
  };
}

function dataSetOf(record: MatchRecord, skip?: ReadonlySet<string>): DataSet {
  const dataSet: Record<string, DataElement> = {};
  for (const [tag, values] of Object.entries(record)) {
    if (values === undefined || skip?.has(tag) === true) continue;
    dataSet[tag] = elementOf(tag, values as readonly string[]);
  }
  return dataSet;
}

/** The File Access URI (0008,0409) of a stored file: an absolute `file:` URI (RFC 8089). */
export function fileAccessUri(path: string): string {
  return PLAIN_PATH.test(path) ? `file://${path}` : pathToFileURL(path).href;
}

const removedValue = (record: WalkedRecord): string | undefined => {
  const value = record.attributes[WALK_ATTRIBUTES.removedFromOperationalUse]?.[0];
  return typeof value === 'string' ? value : undefined;
};

function seriesDataSet(record: WalkedRecord): DataSet {
  // Removed from Operational Use on a series only where it is set: the study record says it for
  // the whole study (PS3.3 C.38.1, placement UNCONFIRMED).
  const skip = removedValue(record) === 'YES' ? undefined : REMOVED_ONLY;
  return dataSetOf(record.attributes, skip);
}
const REMOVED_ONLY: ReadonlySet<string> = new Set([WALK_ATTRIBUTES.removedFromOperationalUse]);

function instanceDataSet(record: WalkedRecord): DataSet {
  // Built in ascending tag order, which spares the encoder a sort.
  const dataSet: Record<string, DataElement> = {};
  const attributes = record.attributes;
  const sopClassUid = attributes['00080016'];
  if (sopClassUid !== undefined) dataSet['00080016'] = { vr: 'UI', Value: sopClassUid as string[] };
  const sopInstanceUid = attributes['00080018'];
  if (sopInstanceUid !== undefined)
    dataSet['00080018'] = { vr: 'UI', Value: sopInstanceUid as string[] };
  if (removedValue(record) === 'YES')
    dataSet[Tag.RemovedFromOperationalUse] = { vr: 'CS', Value: ['YES'] };
  // Stored File Access Macro (PS3.3 C.38.2.2; its rows are UNCONFIRMED here): the file as an
  // absolute URI, and the transfer syntax it is stored in.
  if (record.path !== undefined)
    dataSet[Tag.FileAccessURI] = { vr: 'UR', Value: [fileAccessUri(record.path)] };
  const syntax = attributes[AVAILABLE_TRANSFER_SYNTAX_UID];
  if (syntax !== undefined)
    dataSet[Tag.StoredInstanceTransferSyntaxUID] = { vr: 'UI', Value: syntax as string[] };
  const instanceNumber = attributes['00200013'];
  if (instanceNumber !== undefined)
    dataSet['00200013'] = { vr: 'IS', Value: instanceNumber as string[] };
  return dataSet;
}

function entryOf(record: WalkedRecord): InventoryEntry {
  if (record.level === 'STUDY') {
    return {
      kind: 'study',
      attributes: dataSetOf(record.attributes, NOT_IN_STUDY_RECORD),
      cursor: record.cursor!,
    };
  }
  if (record.level === 'SERIES') return { kind: 'series', attributes: seriesDataSet(record) };
  return { kind: 'instance', attributes: instanceDataSet(record) };
}

function entryResult(result: IteratorResult<WalkedRecord>): IteratorResult<InventoryEntry> {
  return result.done === true ? result : { done: false, value: entryOf(result.value) };
}

/**
 * An {@link InventorySource} over a {@link Repository}: its studies, series and instances as
 * `repository.walk` lists them (Study, Series, SOP Instance UID order; the cursor is the walk's).
 * Records hold what the repository indexes: patient and study attributes with Modalities in
 * Study, the counts, Study Update DateTime and Removed from Operational Use; series attributes;
 * SOP Class and Instance UID, Instance Number, the stored transfer syntax (0008,040E) and the
 * stored file as File Access URI (0008,0409). Studies Removed from Operational Use are listed,
 * marked: an inventory is of what the repository manages (PS3.4 KK.2.2.1.1).
 */
export function repositorySource(repository: Repository): InventorySource {
  return {
    isMatchable: (tag: string): boolean => MATCHABLE.has(tag),
    entries(scope: Query, options: InventoryWalkOptions): AsyncIterable<InventoryEntry> {
      const walk = repository.walk(scope, {
        depth: DEPTH[options.level],
        includeRemoved: true,
        ...(options.after === undefined ? {} : { after: options.after }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      // A mapping iterator, not an async generator: one promise per record instead of several
      // ticks, which for a million instances is seconds.
      return {
        [Symbol.asyncIterator]: () => {
          const records = walk[Symbol.asyncIterator]();
          return {
            next: () => records.next().then(entryResult),
            return: async () => {
              await records.return?.();
              return { done: true, value: undefined };
            },
          };
        },
      };
    },
  };
}
