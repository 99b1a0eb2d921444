// Repository.match on the SQLite index: what of the query SQL can decide goes into the WHERE
// clause, every row SQL returns is checked in memory with matches(), and rows come a page at a
// time in the order of the level's unique key (keyset pagination: `WHERE key > last`, never
// OFFSET), so memory stays flat and a cursor resumes the match after a restart.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { matches, QueryError, toSql } from '../match/index.js';
import type { Condition, MatchRecord, Query, QueryLevel } from '../match/index.js';
import type { InstanceReference, MatchedRecord, MatchOptions } from '../repository.js';
import type { SqliteDatabase, SqliteRow } from '../sqlite/database.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { attributesAt } from './indexed-attributes.js';
import type { IndexedAttribute } from './indexed-attributes.js';

/** Rows read from SQLite at a time unless the caller says otherwise. */
export const DEFAULT_PAGE_SIZE = 500;

const FROM: Readonly<Record<QueryLevel, string>> = {
  PATIENT: 'patients p',
  STUDY: 'studies st JOIN patients p ON p.id = st.patient_pk',
  SERIES:
    'series se JOIN studies st ON st.id = se.study_pk JOIN patients p ON p.id = st.patient_pk',
  IMAGE:
    'instances i JOIN series se ON se.id = i.series_pk JOIN studies st ON st.id = se.study_pk ' +
    'JOIN patients p ON p.id = st.patient_pk',
};

/** The level's unique key, the order of its records and of their cursors. */
const KEYSET: Readonly<Record<QueryLevel, readonly string[]>> = {
  PATIENT: ['p.patient_id', 'p.issuer_of_patient_id'],
  STUDY: ['st.study_instance_uid'],
  SERIES: ['se.series_instance_uid'],
  IMAGE: ['i.sop_instance_uid'],
};

const REMOVED: Readonly<Record<QueryLevel, string | undefined>> = {
  PATIENT: undefined, // a patient is never removed as such; its studies are
  STUDY: 'st.removed = 0',
  SERIES: 'se.removed = 0',
  IMAGE: 'i.removed = 0',
};

/** What a caller passes in: the database, and a check that the repository is still open. */
export interface MatchSource {
  readonly db: SqliteDatabase;
  /** Throws when the repository was closed (called before each page). */
  readonly checkOpen: () => void;
}

interface Clause {
  readonly sql: string;
  readonly parameters: readonly string[];
}

/** The SQL clause that keeps every row that can match `condition`, or undefined (memory only). */
function pushedClause(
  query: Query,
  condition: Condition,
  attribute: IndexedAttribute | undefined,
): Clause | undefined {
  if (attribute?.column === undefined) return undefined;
  const insensitive =
    (condition.kind === 'single' || condition.kind === 'wildcard') && condition.caseInsensitive;
  const column =
    insensitive && attribute.foldedColumn !== undefined ? attribute.foldedColumn : attribute.column;
  const filter = toSql({ ...query, conditions: [condition] }, { [condition.tag]: column });
  if (filter.residual.conditions.length > 0 || filter.where === '1') return undefined;
  const sql =
    attribute.escape === undefined ? filter.where : `(${filter.where}) OR ${attribute.escape}`;
  return { sql, parameters: filter.parameters };
}

/** The values of a stored text as a record holds them (`\` separates values, PS3.5 6.2). */
function valuesOf(value: unknown): readonly string[] | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  return text === '' ? undefined : text.split('\\');
}

interface Plan {
  readonly level: QueryLevel;
  readonly attributes: readonly IndexedAttribute[];
  readonly firstPage: string;
  readonly nextPage: string;
  readonly parameters: readonly string[];
}

function planOf(query: Query, options: MatchOptions): Plan {
  const level = query.level;
  if (level === undefined) {
    throw new QueryError(
      'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL',
      '00080052',
      'a match needs a Query/Retrieve Level',
    );
  }
  const attributes = attributesAt(level);
  const byTag = new Map(attributes.map((attribute) => [attribute.tag, attribute]));
  const where: string[] = [];
  const parameters: string[] = [];
  for (const condition of query.conditions) {
    const clause = pushedClause(query, condition, byTag.get(condition.tag));
    if (clause === undefined) continue;
    where.push(`(${clause.sql})`);
    parameters.push(...clause.parameters);
  }
  const removed = REMOVED[level];
  if (options.includeRemoved !== true && removed !== undefined) where.push(removed);
  const keys = KEYSET[level];
  const select = [
    ...keys.map((key, index) => `${key} AS k${index}`),
    ...attributes.map((attribute, index) => `${attribute.select} AS a${index}`),
  ].join(', ');
  const base = `SELECT ${select} FROM ${FROM[level]} WHERE ${where.length === 0 ? '1' : where.join(' AND ')}`;
  const order = `ORDER BY ${keys.join(', ')} LIMIT ?`;
  const after = `(${keys.join(', ')}) > (${keys.map(() => '?').join(', ')})`;
  return {
    level,
    attributes,
    firstPage: `${base} ${order}`,
    nextPage: `${base} AND ${after} ${order}`,
    parameters,
  };
}

function recordOf(row: SqliteRow, attributes: readonly IndexedAttribute[]): MatchRecord {
  const record: Record<string, readonly string[]> = {};
  attributes.forEach((attribute, index) => {
    const values = valuesOf(row[`a${index}`]);
    if (values !== undefined) record[attribute.tag] = values;
  });
  return record;
}

/**
 * The records of `query.level` matching `query`, a page at a time, in keyset order.
 * @throws {@link QueryError} when the query has no level; {@link InvalidCursorError}.
 */
export async function* matchIndex(
  source: MatchSource,
  query: Query,
  options: MatchOptions = {},
): AsyncGenerator<MatchedRecord, void, undefined> {
  const plan = planOf(query, options);
  const pageSize = Math.max(1, Math.trunc(options.pageSize ?? DEFAULT_PAGE_SIZE));
  const keyCount = KEYSET[plan.level].length;
  let after = options.after === undefined ? undefined : decodeCursor(options.after, plan.level);
  source.checkOpen();
  const first = source.db.prepare(plan.firstPage);
  const next = source.db.prepare(plan.nextPage);
  const recordOptions =
    options.timezoneOffsetMinutes === undefined
      ? {}
      : { timezoneOffsetMinutes: options.timezoneOffsetMinutes };
  for (;;) {
    options.signal?.throwIfAborted();
    source.checkOpen();
    const rows =
      after === undefined
        ? first.all([...plan.parameters, pageSize])
        : next.all([...plan.parameters, ...after, pageSize]);
    for (const row of rows) {
      const keys = Array.from({ length: keyCount }, (_, index) => String(row[`k${index}`] ?? ''));
      after = keys;
      const attributes = recordOf(row, plan.attributes);
      if (!matches(query, attributes, recordOptions)) continue;
      yield { level: plan.level, attributes, cursor: encodeCursor(plan.level, keys) };
      options.signal?.throwIfAborted();
    }
    if (rows.length < pageSize) return;
    // Pages that match nothing in memory would otherwise hold the event loop.
    await nextTurn();
  }
}

const first = (record: MatchRecord, tag: string): string => {
  const value = record[tag]?.[0];
  return typeof value === 'string' ? value : '';
};

/** The instance a record of the IMAGE level describes. */
export function instanceReferenceOf(record: MatchRecord): InstanceReference {
  return {
    sopInstanceUid: first(record, '00080018'),
    sopClassUid: first(record, '00080016'),
    transferSyntaxUid: first(record, '00083002'),
    studyInstanceUid: first(record, '0020000D'),
    seriesInstanceUid: first(record, '0020000E'),
  };
}
