// The B side of `inventory diff A --find HOST:PORT --called AET`: a live archive that produces no
// inventories (Orthanc, dcmqrscp, any PACS), enumerated with Study Root C-FIND (PS3.4 C.6.2):
// STUDY, then SERIES per study, then IMAGE per series, as deep as A's Inventory Level. One
// association; records come out in UID order (the diff merges them as they come) with only the
// study UIDs, one study's series and one series' instances in memory. A's Scope of Inventory
// selects the studies as it did for A (PS3.4 KK.2.2.1.1): its keys are asked as return keys and
// matched here by the same matcher that produced A, not by the archive, whose matching may differ.
import type { DataElement, DataSet } from '@dicomnet/data';
import { connect, type DimseClient } from '@dicomnet/dimse';
import {
  matches as inScope,
  matchRecordOf,
  parseInventoryScope,
  type Query,
} from '@dicomnet/repository';
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

/** What the archive's answers leave uncertain about A's scope. */
export interface FindSideWarning {
  /** A scope key (8 hex digits) the archive returned no value of. */
  readonly tag: string;
  /** How many studies lacked it, and so fell out of the scope unless it asks for an empty value. */
  readonly studies: number;
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
 * Every study in A's Scope of Inventory (and its series and instances, down to A's level) that
 * the archive answers a C-FIND for, as diff records.
 * @param onWarning Called once the studies are known, for each scope key the archive left empty.
 * @throws As `connect` and `DimseClient.find` (e.g. a Failure status of the archive);
 *   `QueryError` when A's scope cannot be parsed.
 */
export async function* findRecords(
  options: FindSideOptions,
  headerOfA: () => InventoryHeader,
  signal: AbortSignal,
  onWarning: (warning: FindSideWarning) => void = () => {},
): AsyncGenerator<DiffRecord> {
  const header = headerOfA();
  const level: InventoryLevel = header.level;
  const scope = parseInventoryScope(header.scope);
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
    // Only the UIDs (and the scope's keys) first, sorted: the records then come in UID order,
    // study by study.
    const found = await matches(
      client,
      'STUDY',
      [[STUDY_UID, 'UI'], ...scopeKeys(scope)],
      {},
      signal,
    );
    const studies = studiesInScope(found, scope, onWarning).sort(byString);
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

/** The keys A's scope matches on, as universal return keys (PS3.4 C.2.2.2.3). */
function scopeKeys(scope: Query): Keys {
  const keys: [string, string][] = [];
  for (const condition of scope.conditions) {
    if (condition.tag === STUDY_UID) continue;
    keys.push([condition.tag, condition.vr]);
    if (condition.kind === 'date-time-range') keys.push([condition.timeTag, 'TM']);
  }
  return keys;
}

// Universal and Empty Value Matching (PS3.4 C.2.2.2.3, C.2.2.2.7) hold whatever the archive left out.
const ASKS_NO_VALUE: ReadonlySet<Query['conditions'][number]['kind']> = new Set([
  'universal',
  'empty',
]);

/** The UIDs of the studies that match every key of A's scope. */
function studiesInScope(
  found: readonly DataSet[],
  scope: Query,
  onWarning: (warning: FindSideWarning) => void,
): string[] {
  if (scope.conditions.length === 0) return found.map((match) => uidOf(match, STUDY_UID));
  const lacking = new Map<string, number>();
  const kept: string[] = [];
  for (const match of found) {
    for (const condition of scope.conditions) {
      if (!ASKS_NO_VALUE.has(condition.kind) && !hasValue(match[condition.tag]))
        lacking.set(condition.tag, (lacking.get(condition.tag) ?? 0) + 1);
    }
    if (inScope(scope, matchRecordOf(match))) kept.push(uidOf(match, STUDY_UID));
  }
  for (const [tag, studies] of lacking) onWarning({ tag, studies });
  return kept;
}

function hasValue(element: DataElement | undefined): boolean {
  return element?.Value !== undefined && element.Value.length > 0;
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
    if (element !== undefined && hasValue(element)) kept[tag] = element;
  }
  return comparableAttributes(kept);
}
