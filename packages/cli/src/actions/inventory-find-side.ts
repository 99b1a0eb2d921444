// The B side of `inventory diff A --find HOST:PORT --called AET`: a live archive that produces no
// inventories (Orthanc, dcmqrscp, any PACS), enumerated with Study Root C-FIND (PS3.4 C.6.2):
// STUDY, then SERIES per study, then IMAGE per series, as deep as A's Inventory Level. One
// association; records come out in UID order (the diff merges them as they come) with only the
// study UIDs, one study's series and one series' instances in memory.
import type { DataElement, DataSet } from '@dicomnet/data';
import { connect, type DimseClient } from '@dicomnet/dimse';
import type { InventoryHeader, InventoryLevel } from '@dicomnet/storage-management';
import type { DiffRecord } from './inventory-diff-merge.js';
import { comparableAttributes } from './inventory-format.js';

/** Study Root Query/Retrieve Information Model - FIND (PS3.4 C.6.2.3). */
const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const TRANSFER_SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];

/** How to reach the archive. */
export interface FindSideOptions {
  readonly host: string;
  readonly port: number;
  readonly callingAeTitle: string;
  readonly calledAeTitle: string;
  /** Seconds for connecting and each response. */
  readonly timeout: number;
}

type Keys = readonly (readonly [tag: string, vr: string])[];

// Return keys per level (PS3.4 C.6.2.1.2, Table C.6-5 to C.6-7), those an Inventory records too
// (PS3.3 C.38.1, A.88): the diff compares only attributes both sides have.
const STUDY_KEYS: Keys = [
  ['0020000D', 'UI'],
  ['00100020', 'LO'],
  ['00100010', 'PN'],
  ['00080020', 'DA'],
  ['00080030', 'TM'],
  ['00080050', 'SH'],
  ['00200010', 'SH'],
];
const SERIES_KEYS: Keys = [
  ['0020000E', 'UI'],
  ['00080060', 'CS'],
  ['00200011', 'IS'],
];
const IMAGE_KEYS: Keys = [
  ['00080018', 'UI'],
  ['00080016', 'UI'],
  ['00200013', 'IS'],
];

const STUDY_UID = '0020000D';
const SERIES_UID = '0020000E';
const SOP_INSTANCE_UID = '00080018';
const QUERY_RETRIEVE_LEVEL = '00080052';

/**
 * Every study (and its series and instances, down to A's level) the archive answers a C-FIND
 * for, as diff records. A's Scope of Inventory is not applied: the archive is enumerated whole.
 * @throws As `connect` and `DimseClient.find` (e.g. a Failure status of the archive).
 */
export async function* findRecords(
  options: FindSideOptions,
  headerOfA: () => InventoryHeader,
  signal: AbortSignal,
): AsyncGenerator<DiffRecord> {
  const level: InventoryLevel = headerOfA().level;
  const client = await connect({
    host: options.host,
    port: options.port,
    callingAeTitle: options.callingAeTitle,
    calledAeTitle: options.calledAeTitle,
    connectTimeout: options.timeout * 1000,
    artimTimeout: options.timeout * 1000,
    dimseTimeout: options.timeout * 1000,
    contexts: [{ abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: TRANSFER_SYNTAXES }],
    signal,
  });
  try {
    // Only the UIDs first, sorted: the records then come in UID order, study by study.
    const studies = (await matches(client, 'STUDY', [[STUDY_UID, 'UI']], {}, signal))
      .map((match) => uidOf(match, STUDY_UID))
      .sort(byString);
    for (const study of studies) {
      const [record] = await matches(client, 'STUDY', STUDY_KEYS, { [STUDY_UID]: study }, signal);
      if (record === undefined) continue; // gone since the first query
      yield { uids: [study, '', ''], attributes: comparable(record, STUDY_KEYS) };
      if (level === 'STUDY') continue;
      const series = sorted(
        await matches(client, 'SERIES', SERIES_KEYS, { [STUDY_UID]: study }, signal),
        SERIES_UID,
      );
      for (const one of series) {
        const seriesUid = uidOf(one, SERIES_UID);
        yield { uids: [study, seriesUid, ''], attributes: comparable(one, SERIES_KEYS) };
        if (level === 'SERIES') continue;
        const instances = sorted(
          await matches(
            client,
            'IMAGE',
            IMAGE_KEYS,
            { [STUDY_UID]: study, [SERIES_UID]: seriesUid },
            signal,
          ),
          SOP_INSTANCE_UID,
        );
        for (const instance of instances)
          yield {
            uids: [study, seriesUid, uidOf(instance, SOP_INSTANCE_UID)],
            attributes: comparable(instance, IMAGE_KEYS),
          };
      }
    }
  } finally {
    await client.release().catch(() => client.abort());
  }
}

/**
 * One C-FIND at `level` (PS3.4 C.6.2.1: Study Root, hierarchical; the unique keys of the levels
 * above given as single values): its matches.
 */
async function matches(
  client: DimseClient,
  level: 'STUDY' | 'SERIES' | 'IMAGE',
  keys: Keys,
  unique: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<DataSet[]> {
  const identifier: Record<string, DataElement> = {
    [QUERY_RETRIEVE_LEVEL]: { vr: 'CS', Value: [level] },
  };
  for (const [tag, vr] of keys) identifier[tag] = { vr };
  for (const [tag, uid] of Object.entries(unique)) identifier[tag] = { vr: 'UI', Value: [uid] };
  const found: DataSet[] = [];
  for await (const match of client.find({ sopClassUid: STUDY_ROOT_FIND, identifier }, { signal }))
    found.push(match);
  return found;
}

function uidOf(match: DataSet, tag: string): string {
  return String(match[tag]?.Value?.[0] ?? '');
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted(found: DataSet[], tag: string): DataSet[] {
  return found.sort((a, b) => byString(uidOf(a, tag), uidOf(b, tag)));
}

/**
 * The return keys the archive gave a value: a zero-length one says nothing (PS3.4 C.4.1.1.3.2,
 * the archive may not support the key), and Query/Retrieve Level, Specific Character Set,
 * Retrieve AE Title and the like are not attributes of the records.
 */
function comparable(match: DataSet, keys: Keys): string {
  const kept: Record<string, DataElement> = {};
  for (const [tag] of keys) {
    const element = match[tag];
    if (element?.Value !== undefined && element.Value.length > 0) kept[tag] = element;
  }
  return comparableAttributes(kept);
}
