// A Query as an SQL WHERE clause over an index whose layout the caller describes: which column
// holds each key, and in which form. What SQL cannot decide exactly the way matches() does stays
// in a residual query, applied in memory to the rows SQL returns. Values are always bound as
// parameters, never written into the SQL text.
import { normalizeDate } from './date-time.js';
import { comparableMoment } from './matches.js';
import type { RecordOptions } from './matches.js';
import type { Condition, Query } from './query.js';
import { foldCase, normalizeValue } from './value-rules.js';

/**
 * How a column stores its attribute (fill it with {@link storedValue}):
 * - `text`: the value with its insignificant padding removed (PN canonical);
 * - `folded`: the same with ASCII letters upper-cased, for case-insensitive PN matching;
 * - `date`: DA as `YYYYMMDD`; `time`: TM as `HHMMSS.FFFFFF`; `datetime`: DT in UTC as
 *   `YYYYMMDDHHMMSS.FFFFFF` (TM and DT at the start of the interval their precision covers).
 * - `multi-text`: every value as in `text`, joined with backslashes (Modalities in Study): single
 *   values and UID lists are pushed into SQL, wild cards and ranges stay in memory.
 * The other forms hold one value: give them single-valued attributes only.
 */
export type ColumnForm = 'text' | 'folded' | 'multi-text' | 'date' | 'time' | 'datetime';

/** Where one key's attribute is stored. */
export interface ColumnSpec {
  /** The table (or alias) holding the column, when the query joins several. */
  readonly table?: string;
  /** The column name; quoted in the SQL, so any name is safe. */
  readonly name: string;
  readonly form: ColumnForm;
}

/** Columns by key tag (8 upper-case hex digits). */
export type ColumnMap = Readonly<Record<string, ColumnSpec>>;

/** What {@link toSql} makes of a query. */
export interface SqlFilter {
  /** A boolean SQL expression with `?` placeholders; `1` when SQL selects nothing out. */
  readonly where: string;
  /** The values of the placeholders, in order. */
  readonly parameters: readonly string[];
  /**
   * The conditions left to apply in memory with {@link matches} to each row SQL returns;
   * its `conditions` is empty when SQL decides the whole query.
   */
  readonly residual: Query;
}

const RANGE_FORMS = { DA: 'date', TM: 'time', DT: 'datetime' } as const;

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function columnSql(column: ColumnSpec): string {
  return column.table === undefined
    ? quote(column.name)
    : `${quote(column.table)}.${quote(column.name)}`;
}

/** A wild card pattern for SQLite's GLOB: `*` and `?` carry over, `[` must be a literal. */
function globPattern(pattern: string): string {
  return pattern.replaceAll('[', '[[]');
}

interface Clause {
  readonly sql: string;
  readonly parameters: readonly string[];
}

function rangeClause(sql: string, from?: string, to?: string): Clause {
  const parts: string[] = [];
  const parameters: string[] = [];
  if (from !== undefined) {
    parts.push(`${sql} >= ?`);
    parameters.push(from);
  }
  if (to !== undefined) {
    parts.push(`${sql} <= ?`);
    parameters.push(to);
  }
  return { sql: parts.length === 0 ? `${sql} IS NOT NULL` : parts.join(' AND '), parameters };
}

/** The conjunction of clauses; undefined when any must stay in memory. */
function allOf(clauses: readonly (Clause | undefined)[]): Clause | undefined {
  if (clauses.some((clause) => clause === undefined)) return undefined;
  const present = clauses.filter(
    (clause): clause is Clause => clause !== undefined && clause.sql !== '',
  );
  return {
    sql: present.map((clause) => `(${clause.sql})`).join(' AND '),
    parameters: present.flatMap((clause) => clause.parameters),
  };
}

/**
 * The clause of one condition on a `multi-text` column: a value matches when it is one of the
 * backslash-separated values (values hold no backslash: it is their separator, PS3.5 6.2).
 */
function multiValueClause(condition: Condition, sql: string): Clause | undefined {
  const padded = `('\\' || ${sql} || '\\')`;
  switch (condition.kind) {
    case 'universal':
      return { sql: '', parameters: [] };
    case 'empty':
      return { sql: `(${sql} IS NULL OR ${sql} = '')`, parameters: [] };
    case 'single':
      return condition.caseInsensitive
        ? { sql: `instr(upper${padded}, ?) > 0`, parameters: [`\\${foldCase(condition.value)}\\`] }
        : { sql: `instr(${padded}, ?) > 0`, parameters: [`\\${condition.value}\\`] };
    case 'uid-list':
      return {
        sql: `EXISTS (SELECT 1 FROM json_each(?) WHERE instr(${padded}, '\\' || value || '\\') > 0)`,
        parameters: [JSON.stringify(condition.values)],
      };
    case 'all-of':
      return allOf(condition.conditions.map((each) => multiValueClause(each, sql)));
    default:
      return undefined;
  }
}

/** The clause of one condition, or undefined when it must stay in memory. */
function clauseOf(condition: Condition, columns: ColumnMap): Clause | undefined {
  const column = columns[condition.tag];
  if (column === undefined) return undefined;
  const sql = columnSql(column);
  if (column.form === 'multi-text') return multiValueClause(condition, sql);
  const text = column.form === 'text';
  const folded = column.form === 'folded';
  switch (condition.kind) {
    case 'universal':
      return { sql: '', parameters: [] };
    case 'empty':
      return { sql: `(${sql} IS NULL OR ${sql} = '')`, parameters: [] };
    case 'single':
    case 'wildcard': {
      const operator = condition.kind === 'single' ? '=' : 'GLOB';
      const key = condition.kind === 'single' ? condition.value : globPattern(condition.pattern);
      if (text && !condition.caseInsensitive)
        return { sql: `${sql} ${operator} ?`, parameters: [key] };
      // SQLite's upper() folds ASCII letters only, exactly as foldCase does.
      if (text) return { sql: `upper(${sql}) ${operator} ?`, parameters: [foldCase(key)] };
      if (folded && condition.caseInsensitive) {
        return { sql: `${sql} ${operator} ?`, parameters: [foldCase(key)] };
      }
      return undefined;
    }
    case 'uid-list':
      if (!text && !folded) return undefined;
      // One parameter whatever the list's length: SQLite caps the number of placeholders.
      return {
        sql: `${sql} IN (SELECT value FROM json_each(?))`,
        parameters: [JSON.stringify(condition.values)],
      };
    case 'range':
      return column.form === RANGE_FORMS[condition.vr]
        ? rangeClause(sql, condition.from, condition.to)
        : undefined;
    case 'date-time-range': {
      const time = columns[condition.timeTag];
      if (column.form !== 'date' || time?.form !== 'time') return undefined;
      const moment = `(${sql} || coalesce(${columnSql(time)}, '000000.000000'))`;
      return rangeClause(moment, condition.from, condition.to);
    }
    case 'all-of':
      return allOf(condition.conditions.map((each) => clauseOf(each, columns)));
    case 'sequence':
      return undefined;
  }
}

/**
 * Translates `query` into an SQL filter over the columns in `columns`, keeping in
 * {@link SqlFilter.residual} what SQL cannot decide exactly as {@link matches} does: keys without
 * a column, sequence keys (C.2.2.2.6), case-sensitive matching on a `folded` column, a range on a
 * column of another form. Rows must be filled with {@link storedValue} so that SQL and
 * {@link matches} agree.
 */
export function toSql(query: Query, columns: ColumnMap): SqlFilter {
  const clauses: Clause[] = [];
  const residual: Condition[] = [];
  for (const condition of query.conditions) {
    const clause = clauseOf(condition, columns);
    if (clause === undefined) residual.push(condition);
    else if (clause.sql !== '') clauses.push(clause);
  }
  return {
    where: clauses.length === 0 ? '1' : clauses.map((clause) => `(${clause.sql})`).join(' AND '),
    parameters: clauses.flatMap((clause) => clause.parameters),
    residual: { ...query, conditions: residual },
  };
}

/**
 * The value to store in a column of `form` for an attribute of `vr` with `values` (DICOM strings;
 * PN as `Alphabetic=Ideographic=Phonetic`): the first value in the column's form, or null when
 * the attribute is absent, empty (date and time forms) or not a valid value of its VR.
 */
export function storedValue(
  form: ColumnForm,
  vr: string,
  values: readonly string[] | undefined,
  options: RecordOptions = {},
): string | null {
  const first = values?.[0];
  if (first === undefined) return null;
  switch (form) {
    case 'text':
      return normalizeValue(vr, first);
    case 'folded':
      return foldCase(normalizeValue(vr, first));
    case 'multi-text': {
      const normalized = (values ?? []).map((value) => normalizeValue(vr, value));
      return normalized.every((value) => value === '') ? '' : normalized.join('\\');
    }
    case 'date':
      return normalizeDate(normalizeValue('DA', first)) ?? null;
    case 'time':
      return comparableMoment('TM', first, options) ?? null;
    case 'datetime':
      return comparableMoment('DT', first, options) ?? null;
  }
}
