import type { StatusCategory } from './status-category.js';

/**
 * One row of a status table: a single code, or a range such as `A7xx` (`code` 0xA700,
 * `lastCode` 0xA7FF) that the standard writes with `x` digits an implementation fills in.
 */
export interface StatusTableRow {
  /** The code, or the first code of a range. */
  readonly code: number;
  /** The last code the row covers; equal to `code` for a single code. */
  readonly lastCode: number;
  /** The status class the table puts the row in (PS3.4 "Service Status" column). */
  readonly category: StatusCategory;
  /** What the code means in this table ("Further Meaning" in PS3.4). */
  readonly meaning: string;
  /** Where the row is defined, e.g. `PS3.4 Table KK.2.2.3-1` or `PS3.7 C.5.19`. */
  readonly reference: string;
}

/** A row for one code. */
export function single(
  code: number,
  category: StatusCategory,
  meaning: string,
  reference: string,
): StatusTableRow {
  return Object.freeze({ code, lastCode: code, category, meaning, reference });
}

/** A row for every code from `code` to `lastCode` inclusive (the standard's `A7xx`, `Cxxx`). */
export function range(
  code: number,
  lastCode: number,
  category: StatusCategory,
  meaning: string,
  reference: string,
): StatusTableRow {
  return Object.freeze({ code, lastCode, category, meaning, reference });
}

/** True when `row` covers `code`. */
export function covers(row: StatusTableRow, code: number): boolean {
  return code >= row.code && code <= row.lastCode;
}

/** True for a row that stands for one code rather than a range. */
export function isSingle(row: StatusTableRow): boolean {
  return row.code === row.lastCode;
}

/** A table: the rows sorted by code and frozen, so no caller can edit a shared table. */
export function table(rows: readonly StatusTableRow[]): readonly StatusTableRow[] {
  return Object.freeze([...rows].sort((a, b) => a.code - b.code));
}
