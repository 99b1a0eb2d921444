// Repository.walk on the SQLite index: every study in scope with (down to the depth asked) its
// series and instances, depth first, in a stable order (study, series and SOP Instance UID), for
// an inventory (PS3.3 C.38.1). Few ordered queries: one per page of studies (keyset on the Study
// Instance UID, so a cursor resumes after a restart), one for the series of that page, and one per
// batch of series for their instances (batches of about INSTANCE_BATCH rows, from the series'
// instance counts): never one query per series, and memory stays flat whatever the total.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { matches, toSql } from '../match/index.js';
import type { Condition, MatchRecord, Query, QueryLevel } from '../match/index.js';
import type { SqliteDatabase, SqliteRow, SqliteStatement } from '../sqlite/database.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { attributesAt, depthOf, INDEXED_ATTRIBUTES } from './indexed-attributes.js';
import type { IndexedAttribute } from './indexed-attributes.js';

/** How deep a walk goes. */
export type WalkDepth = 'STUDY' | 'SERIES' | 'IMAGE';

/** Options of `Repository.walk`. */
export interface WalkOptions {
  /** Studies only, down to their series, or down to their instances. */
  readonly depth: WalkDepth;
  /** A study record's {@link WalkedRecord.cursor}: the walk resumes after that study. */
  readonly after?: string;
  /**
   * Include what was Removed from Operational Use, marked (PS3.3 C.38.1 lists such studies with
   * (0008,0405)); default false, as {@link MatchOptions.includeRemoved}.
   */
  readonly includeRemoved?: boolean;
  /** Studies read from the index at a time; default 50. */
  readonly pageSize?: number;
  /** Minutes east of UTC of stored DT values without an offset; default 0. */
  readonly timezoneOffsetMinutes?: number;
  /** Aborting ends the walk with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** One record of a walk: a study, a series of the study before it, an instance of that series. */
export interface WalkedRecord {
  readonly level: WalkDepth;
  /**
   * The record's own attributes as the index holds them (a study's with its patient's), by tag,
   * as DICOM strings like {@link MatchedRecord.attributes}; a study's also Study Update DateTime
   * (0008,041F, when it last changed, UTC) and, for all levels, Removed from Operational Use
   * (0008,0405) `YES` or `NO` (values UNCONFIRMED: PS3.3 C.38.1 could not be read).
   */
  readonly attributes: MatchRecord;
  /** Study records only: pass as {@link WalkOptions.after} to resume after this study. */
  readonly cursor?: string;
  /** Instance records only: the stored file's absolute path, where the repository has one. */
  readonly path?: string;
}

/** What the repository hands the walk. */
export interface WalkSource {
  readonly db: SqliteDatabase;
  /** Throws when the repository was closed (called before each query). */
  readonly checkOpen: () => void;
  /** The absolute path of an instance's stored path. */
  readonly pathOf: (storedPath: string) => string;
}

/** Extra record attributes a walk adds (matchable in a scope, PS3.3 C.38.2.1). */
export const WALK_ATTRIBUTES = {
  studyUpdateDateTime: '0008041F',
  removedFromOperationalUse: '00080405',
} as const;

// Each query's rows are read synchronously (SQLite is): the event loop waits for a whole page of
// studies, then for a whole batch of instances. Under load, pages of 200 studies and batches of
// 5,000 rows held it 162-204 ms; 50 studies and 1,000 rows hold it 64-113 ms, at the same CPU
// (bench/README.md, inventory).
const DEFAULT_WALK_PAGE_SIZE = 50;
/** Instance rows read at a time (a series bigger than this is read in keyset pages). */
const INSTANCE_BATCH = 1000;

const ownAttributes = (level: QueryLevel): readonly IndexedAttribute[] =>
  INDEXED_ATTRIBUTES.filter(
    (attribute) =>
      attribute.level === level || (level === 'STUDY' && attribute.level === 'PATIENT'),
  );

const STUDY_ATTRIBUTES = ownAttributes('STUDY');
const SERIES_ATTRIBUTES = ownAttributes('SERIES');
const IMAGE_ATTRIBUTES = ownAttributes('IMAGE');

const selectList = (attributes: readonly IndexedAttribute[]): string =>
  attributes.map((attribute, index) => `${attribute.select} AS a${index}`).join(', ');

/** The aliases `a0`, `a1`… of a select list, made once (not a template string per value). */
const ALIASES = Array.from({ length: 64 }, (_, index) => `a${index}`);

function valuesOf(text: string): string[] {
  return text.includes('\\') ? text.split('\\') : [text];
}

function recordOf(
  row: SqliteRow,
  attributes: readonly IndexedAttribute[],
): Record<string, readonly string[]> {
  const record: Record<string, readonly string[]> = {};
  for (let index = 0; index < attributes.length; index++) {
    const value = row[ALIASES[index]!];
    if (value === null || value === undefined) continue;
    const text = String(value);
    if (text === '') continue;
    record[attributes[index]!.tag] = valuesOf(text);
  }
  return record;
}

const NOT_REMOVED: readonly string[] = Object.freeze(['NO']);
const REMOVED: readonly string[] = Object.freeze(['YES']);
const removedValue = (row: SqliteRow): readonly string[] =>
  Number(row['removed']) === 0 ? NOT_REMOVED : REMOVED;

/** SQL for the keys on patient and study attributes (the in-memory check still runs). */
function studyFilter(query: Query): { where: string[]; parameters: string[] } {
  const byTag = new Map(attributesAt('STUDY').map((attribute) => [attribute.tag, attribute]));
  const where: string[] = [];
  const parameters: string[] = [];
  for (const condition of query.conditions) {
    const attribute = byTag.get(condition.tag);
    if (attribute?.column === undefined) continue;
    const insensitive =
      (condition.kind === 'single' || condition.kind === 'wildcard') && condition.caseInsensitive;
    const column =
      insensitive && attribute.foldedColumn !== undefined
        ? attribute.foldedColumn
        : attribute.column;
    const filter = toSql(
      { ...query, conditions: [condition] as Condition[] },
      {
        [condition.tag]: column,
      },
    );
    if (filter.residual.conditions.length > 0 || filter.where === '1') continue;
    where.push(
      attribute.escape === undefined
        ? `(${filter.where})`
        : `((${filter.where}) OR ${attribute.escape})`,
    );
    parameters.push(...filter.parameters);
  }
  return { where, parameters };
}

interface Statements {
  readonly firstStudies: SqliteStatement;
  readonly nextStudies: SqliteStatement;
  readonly series: SqliteStatement;
  readonly instances: SqliteStatement;
  readonly seriesInstances: SqliteStatement;
  readonly parameters: readonly string[];
}

function prepare(db: SqliteDatabase, query: Query, includeRemoved: boolean): Statements {
  const { where, parameters } = studyFilter(query);
  const live = (alias: string): string => (includeRemoved ? '' : ` AND ${alias}.removed = 0`);
  const studyWhere = where.length === 0 ? '1' : where.join(' AND ');
  const studies =
    `SELECT st.id AS pk, st.study_instance_uid AS k0, st.updated_at AS updated, ` +
    `st.removed AS removed, ${selectList(STUDY_ATTRIBUTES)} ` +
    `FROM studies st JOIN patients p ON p.id = st.patient_pk WHERE ${studyWhere}${live('st')}`;
  const order = 'ORDER BY st.study_instance_uid LIMIT ?';
  // One text column per instance row, split in JavaScript: a row object of ten columns costs
  // SQLite's driver more than the split (UI, IS, DA, TM values and stored paths hold no U+001F).
  const instanceColumns =
    `i.series_pk AS parent, ` +
    ['i.removed', "ifnull(i.stored_path, '')"]
      .concat(IMAGE_ATTRIBUTES.map((attribute) => `ifnull(${attribute.select}, '')`))
      .join(' || char(31) || ') +
    ' AS r';
  return {
    firstStudies: db.prepare(`${studies} ${order}`),
    nextStudies: db.prepare(`${studies} AND st.study_instance_uid > ? ${order}`),
    series: db.prepare(
      `SELECT se.id AS pk, se.study_pk AS parent, se.number_of_instances AS count, ` +
        `se.removed AS removed, ${selectList(SERIES_ATTRIBUTES)} FROM series se ` +
        `WHERE se.study_pk IN (SELECT value FROM json_each(?))${live('se')} ` +
        `ORDER BY se.series_instance_uid`,
    ),
    instances: db.prepare(
      `SELECT ${instanceColumns} FROM instances i ` +
        `WHERE i.series_pk IN (SELECT value FROM json_each(?))${live('i')} ` +
        `ORDER BY i.series_pk, i.sop_instance_uid`,
    ),
    seriesInstances: db.prepare(
      `SELECT ${instanceColumns} FROM instances i WHERE i.series_pk = ? ` +
        `AND i.sop_instance_uid > ?${live('i')} ORDER BY i.sop_instance_uid LIMIT ?`,
    ),
    parameters,
  };
}

interface SeriesRow {
  readonly pk: number;
  readonly count: number;
  readonly record: WalkedRecord;
}

/**
 * The walk. Scope (PS3.4 KK.2.2.1.1, PS3.3 C.38.2.1): a query without a level (or at STUDY) is
 * matched on each study record (its patient's and its own attributes); with a Query/Retrieve Level
 * of SERIES or IMAGE (RELATIONAL) a study is listed when one of its series (instances) matches,
 * and only the matching series (instances) and what leads to them are listed, with everything
 * below them.
 * @throws {@link InvalidCursorError}; {@link RepositoryClosedError}; the signal's reason.
 */
export function walkIndex(
  source: WalkSource,
  query: Query,
  options: WalkOptions,
): AsyncIterableIterator<WalkedRecord> {
  return new WalkIterator(walkSync(source, query, options));
}

/** Records given between two turns of the event loop at most. */
const TURN_EVERY = 1024;

/** Yielded between pages: the iterator gives the event loop a turn there. */
const PAUSE = Symbol('pause');

/**
 * The walk as an async iterator over a synchronous generator: a record already read costs no
 * more than a resolved promise (an async generator would take several ticks per record, which
 * for a million instances is seconds); between pages the event loop gets a turn.
 */
class WalkIterator implements AsyncIterableIterator<WalkedRecord> {
  readonly #records: Generator<WalkedRecord | typeof PAUSE, void, undefined>;
  #sinceTurn = 0;

  constructor(records: Generator<WalkedRecord | typeof PAUSE, void, undefined>) {
    this.#records = records;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WalkedRecord> {
    return this;
  }

  next(): Promise<IteratorResult<WalkedRecord>> {
    let result: IteratorResult<WalkedRecord | typeof PAUSE, void>;
    try {
      result = this.#records.next();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (result.done === true) return Promise.resolve({ done: true, value: undefined });
    if (result.value === PAUSE) {
      this.#sinceTurn = 0;
      return nextTurn().then(() => this.next());
    }
    // Resolved promises chain as microtasks: without a turn now and then, a consumer that does
    // not wait for I/O would hold the event loop for a whole page of instances.
    if (++this.#sinceTurn >= TURN_EVERY) {
      this.#sinceTurn = 0;
      return nextTurn().then(() => result as IteratorResult<WalkedRecord>);
    }
    return Promise.resolve(result as IteratorResult<WalkedRecord>);
  }

  return(): Promise<IteratorResult<WalkedRecord>> {
    this.#records.return();
    return Promise.resolve({ done: true, value: undefined });
  }
}

function* walkSync(
  source: WalkSource,
  query: Query,
  options: WalkOptions,
): Generator<WalkedRecord | typeof PAUSE, void, undefined> {
  const matchLevel: QueryLevel =
    query.level === undefined || query.level === 'PATIENT' ? 'STUDY' : query.level;
  const matchDepth = depthOf(matchLevel);
  const walkDepth = depthOf(options.depth);
  const readDepth = Math.max(matchDepth, walkDepth);
  const pageSize = Math.max(1, Math.trunc(options.pageSize ?? DEFAULT_WALK_PAGE_SIZE));
  const recordOptions =
    options.timezoneOffsetMinutes === undefined
      ? {}
      : { timezoneOffsetMinutes: options.timezoneOffsetMinutes };
  const { signal } = options;
  let after = options.after === undefined ? undefined : decodeCursor(options.after, 'STUDY')[0];
  source.checkOpen();
  const statements = prepare(source.db, query, options.includeRemoved === true);

  for (;;) {
    signal?.throwIfAborted();
    source.checkOpen();
    const studyRows =
      after === undefined
        ? statements.firstStudies.all([...statements.parameters, pageSize])
        : statements.nextStudies.all([...statements.parameters, after, pageSize]);
    if (studyRows.length === 0) return;
    after = String(studyRows[studyRows.length - 1]!['k0']);

    const studies = studyRows.map((row) => {
      const attributes = recordOf(row, STUDY_ATTRIBUTES);
      attributes[WALK_ATTRIBUTES.studyUpdateDateTime] = [String(row['updated'])];
      attributes[WALK_ATTRIBUTES.removedFromOperationalUse] = removedValue(row);
      const record: WalkedRecord = {
        level: 'STUDY',
        attributes,
        cursor: encodeCursor('STUDY', [String(row['k0'])]),
      };
      return { pk: Number(row['pk']), record };
    });

    const seriesOf = new Map<number, SeriesRow[]>();
    if (readDepth >= 2) {
      source.checkOpen();
      const rows = statements.series.all([JSON.stringify(studies.map((study) => study.pk))]);
      for (const row of rows) {
        const attributes = recordOf(row, SERIES_ATTRIBUTES);
        attributes[WALK_ATTRIBUTES.removedFromOperationalUse] = removedValue(row);
        const parent = Number(row['parent']);
        const list = seriesOf.get(parent) ?? [];
        list.push({
          pk: Number(row['pk']),
          count: Number(row['count']),
          record: { level: 'SERIES', attributes },
        });
        seriesOf.set(parent, list);
      }
    }

    const reader = new InstanceReader(
      source,
      statements,
      studies.flatMap((study) => seriesOf.get(study.pk) ?? []),
    );
    for (const study of studies) {
      signal?.throwIfAborted();
      if (matchDepth === 1) {
        if (!matches(query, study.record.attributes, recordOptions)) continue;
        yield study.record;
        if (walkDepth === 1) continue;
        for (const series of seriesOf.get(study.pk) ?? []) {
          signal?.throwIfAborted();
          yield series.record;
          if (walkDepth === 3) yield* reader.instances(series, signal);
        }
        continue;
      }
      yield* relational(reader, study.record, seriesOf.get(study.pk) ?? [], {
        query,
        matchDepth,
        walkDepth,
        recordOptions,
        signal,
      });
    }
    releaseCache(source);
    if (studyRows.length < pageSize) return;
    // A page that matched nothing would otherwise hold the event loop.
    yield PAUSE;
  }
}

/**
 * Gives back the page cache the page just read filled. The index keeps a large cache for inserts
 * (InstanceIndex); a walk reads each index page once, so without this the cache fills to its
 * bound as the walk goes and the process grows with the repository's size (bench/, inventory:
 * 94 -> 226 MiB from 10,000 to 1,000,000 instances). SQLite's `shrink_memory` frees only unused
 * pages of this connection and changes no setting, so a walk left unfinished leaves nothing to
 * restore; inserts between two pages reread what they need (from the OS cache).
 */
function releaseCache(source: WalkSource): void {
  source.checkOpen();
  source.db.exec('PRAGMA shrink_memory');
}

interface RelationalContext {
  readonly query: Query;
  readonly matchDepth: number;
  readonly walkDepth: number;
  readonly recordOptions: { timezoneOffsetMinutes?: number };
  readonly signal: AbortSignal | undefined;
}

/**
 * One study under a RELATIONAL scope at SERIES or IMAGE level (PS3.4 C.4.1.3.2.2): each series
 * (instance) is matched with the attributes of the levels above it.
 */
function* relational(
  reader: InstanceReader,
  study: WalkedRecord,
  seriesList: readonly SeriesRow[],
  context: RelationalContext,
): Generator<WalkedRecord | typeof PAUSE> {
  const { query, recordOptions } = context;
  let checked = 0;
  const kept: { series: SeriesRow; instances?: WalkedRecord[] }[] = [];
  for (const series of seriesList) {
    const combined = { ...study.attributes, ...series.record.attributes };
    if (context.matchDepth === 2) {
      if (matches(query, combined, recordOptions)) kept.push({ series });
      continue;
    }
    // IMAGE: the matching instances of the study are held until the study is listed.
    const instances: WalkedRecord[] = [];
    for (const instance of reader.instances(series, context.signal)) {
      if (matches(query, { ...combined, ...instance.attributes }, recordOptions))
        instances.push(instance);
      // A big study is matched over several turns of the event loop.
      if (++checked % TURN_EVERY === 0) yield PAUSE;
    }
    if (instances.length > 0) kept.push({ series, instances });
  }
  if (kept.length === 0) return;
  yield study;
  if (context.walkDepth === 1) return;
  for (const { series, instances } of kept) {
    context.signal?.throwIfAborted();
    yield series.record;
    if (context.walkDepth < 3) continue;
    if (instances !== undefined) yield* instances;
    else yield* reader.instances(series, context.signal);
  }
}

/**
 * The instances of a page's series, read in batches: consecutive series (in the order the walk
 * lists them) whose instance counts add up to about INSTANCE_BATCH are read with one query and
 * held until listed; a series bigger than that is read alone, in keyset pages.
 */
class InstanceReader {
  readonly #source: WalkSource;
  readonly #statements: Statements;
  readonly #batchOf = new Map<number, readonly number[]>();
  #loaded: readonly number[] | undefined;
  #rows = new Map<number, SqliteRow[]>();

  constructor(source: WalkSource, statements: Statements, ordered: readonly SeriesRow[]) {
    this.#source = source;
    this.#statements = statements;
    let batch: number[] = [];
    let size = 0;
    for (const series of ordered) {
      if (series.count > INSTANCE_BATCH) continue; // read alone
      if (batch.length > 0 && size + series.count > INSTANCE_BATCH) {
        batch = [];
        size = 0;
      }
      batch.push(series.pk);
      size += series.count;
      this.#batchOf.set(series.pk, batch);
    }
  }

  *instances(series: SeriesRow, signal: AbortSignal | undefined): Generator<WalkedRecord> {
    signal?.throwIfAborted();
    const batch = this.#batchOf.get(series.pk);
    if (batch === undefined) {
      yield* this.#alone(series, signal);
      return;
    }
    if (this.#loaded !== batch) {
      this.#source.checkOpen();
      this.#rows = new Map();
      for (const row of this.#statements.instances.all([JSON.stringify(batch)])) {
        const parent = Number(row['parent']);
        const list = this.#rows.get(parent);
        if (list === undefined) this.#rows.set(parent, [row]);
        else list.push(row);
      }
      this.#loaded = batch;
    }
    const rows = this.#rows.get(series.pk) ?? [];
    this.#rows.delete(series.pk);
    for (const row of rows) {
      signal?.throwIfAborted();
      yield instanceRecord(this.#source, row);
    }
  }

  *#alone(series: SeriesRow, signal: AbortSignal | undefined): Generator<WalkedRecord> {
    let last = '';
    for (;;) {
      signal?.throwIfAborted();
      this.#source.checkOpen();
      const rows = this.#statements.seriesInstances.all([series.pk, last, INSTANCE_BATCH]);
      for (const row of rows) {
        signal?.throwIfAborted();
        yield instanceRecord(this.#source, row);
      }
      if (rows.length < INSTANCE_BATCH) return;
      last = instanceKey(rows[rows.length - 1]!);
    }
  }
}

const SOP_INSTANCE_UID_FIELD =
  2 + IMAGE_ATTRIBUTES.findIndex((attribute) => attribute.tag === '00080018');

/** An instance row's fields: removed, stored path, then {@link IMAGE_ATTRIBUTES}. */
function instanceRecord(source: WalkSource, row: SqliteRow): WalkedRecord {
  const fields = String(row['r']).split('\u001f');
  const attributes: Record<string, readonly string[]> = {};
  for (let index = 0; index < IMAGE_ATTRIBUTES.length; index++) {
    const text = fields[index + 2];
    if (text !== undefined && text !== '')
      attributes[IMAGE_ATTRIBUTES[index]!.tag] = valuesOf(text);
  }
  attributes[WALK_ATTRIBUTES.removedFromOperationalUse] = fields[0] === '0' ? NOT_REMOVED : REMOVED;
  const stored = fields[1];
  return stored !== undefined && stored !== ''
    ? { level: 'IMAGE', attributes, path: source.pathOf(stored) }
    : { level: 'IMAGE', attributes };
}

/** The SOP Instance UID of an instance row (its keyset key). */
function instanceKey(row: SqliteRow): string {
  return String(row['r']).split('\u001f')[SOP_INSTANCE_UID_FIELD] ?? '';
}
