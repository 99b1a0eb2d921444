// How `dicomnet inventory` prints records, and what it compares of them.
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { toDicomJson, type DataSet, type PersonName } from '@dicomnet/data';
import type { InventoryRecord } from '@dicomnet/storage-management';
import { terminalSafe, terminalSafeJson } from '../terminal-safe.js';

/** Item Inventory DateTime (0008,0404): when a record was written, not what it says. */
const ITEM_INVENTORY_DATETIME = '00080404';

/** Record levels in order: a study before its series before their instances. */
export const LEVEL_ORDER = { study: 0, series: 1, instance: 2 } as const;
export type RecordKind = keyof typeof LEVEL_ORDER;

/** The UIDs that identify a record: study, series (or ''), instance (or ''). */
export function recordUids(record: InventoryRecord): [string, string, string] {
  switch (record.kind) {
    case 'study':
      return [record.studyInstanceUid, '', ''];
    case 'series':
      return [record.studyInstanceUid, record.seriesInstanceUid, ''];
    case 'instance':
      return [record.studyInstanceUid, record.seriesInstanceUid, record.sopInstanceUid];
  }
}

/**
 * A record's attributes as one string to compare, DICOM JSON of every attribute (nested sequences
 * included) but Item Inventory DateTime, which changes with every production.
 */
export function comparableAttributes(attributes: DataSet): string {
  if (!(ITEM_INVENTORY_DATETIME in attributes)) return JSON.stringify(toDicomJson(attributes));
  const { [ITEM_INVENTORY_DATETIME]: _written, ...rest } = attributes;
  return JSON.stringify(toDicomJson(rest));
}

/**
 * The tags whose values differ between two records' {@link comparableAttributes}, parsed
 * (attributes only one side has are not compared).
 */
export function changedTags(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string[] {
  return Object.keys(before)
    .filter((tag) => tag in after && JSON.stringify(before[tag]) !== JSON.stringify(after[tag]))
    .sort();
}

function first(attributes: DataSet, tag: string): string | undefined {
  const value = attributes[tag]?.Value?.[0];
  if (value === undefined) return undefined;
  if (typeof value === 'object') return (value as PersonName).Alphabetic;
  return String(value);
}

/** One line of the records table, indented by level. */
export function recordLine(record: InventoryRecord): string {
  const a = record.attributes;
  const details = (pairs: [string, string | undefined][]): string =>
    pairs
      .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '')
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
  switch (record.kind) {
    case 'study':
      return `study     ${record.studyInstanceUid}  ${details([
        ['patient', first(a, '00100020')],
        ['name', first(a, '00100010')],
        ['date', first(a, '00080020')],
        ['accession', first(a, '00080050')],
        ['modalities', a['00080061']?.Value?.join('\\')],
        ['instances', first(a, '00201208')],
      ])}`;
    case 'series':
      return `  series  ${record.seriesInstanceUid}  ${details([
        ['modality', first(a, '00080060')],
        ['number', first(a, '00200011')],
        ['instances', first(a, '00201209')],
      ])}`;
    case 'instance':
      return `    instance ${record.sopInstanceUid}  ${details([
        ['class', record.sopClassUid],
        ['file', first(a, '00080409')],
      ])}`;
  }
}

/** One JSON line of a record. */
export function recordJson(record: InventoryRecord): Record<string, unknown> {
  const [study, series, instance] = recordUids(record);
  return {
    kind: record.kind,
    studyInstanceUid: study,
    ...(series !== '' && { seriesInstanceUid: series }),
    ...(instance !== '' && { sopInstanceUid: instance }),
    inventory: record.inventory,
    attributes: toDicomJson(record.attributes),
  };
}

/**
 * Writes lines to a stream, waiting when it is full: millions of records go out at the pace the
 * reader of the output takes them, not into memory.
 */
export class LineWriter {
  readonly #stream: Writable;

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  /** A line for people, made terminal-safe (peer and file values may hold control characters). */
  async line(text: string): Promise<void> {
    await this.#write(`${terminalSafe(text)}\n`);
  }

  /** One JSON document on one line. */
  async json(value: unknown): Promise<void> {
    await this.#write(`${terminalSafeJson(value)}\n`);
  }

  async #write(text: string): Promise<void> {
    if (!this.#stream.write(text)) await once(this.#stream, 'drain');
  }
}
