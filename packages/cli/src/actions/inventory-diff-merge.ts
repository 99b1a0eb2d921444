// The fast path of `inventory diff`: both sides in UID order (as dicomnet's producer writes them
// and a repository walk yields them), merged as they are read, with nothing held but the current
// record of each side. The differences go to a spool file, read back once the merge has finished:
// a side found out of order midway (another producer's order) makes the caller start again
// through the SQLite table, and nothing has been printed yet.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { DiffRow } from './inventory-diff-table.js';

/** A record of one side: its UIDs ('' below its level) and its comparable attributes as JSON. */
export interface DiffRecord {
  readonly uids: readonly [string, string, string];
  readonly attributes: string;
}

/** A side was not in UID order: merge it through the SQLite table instead. */
export class NotInOrderError extends Error {
  override readonly name = 'NotInOrderError';
}

function compare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < 3; i += 1) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The records of a side with strictly ascending keys. A record whose key equals the one before
 * replaces it (the last one read stands, as in the SQLite table). A study or series record met
 * again later in its own study or series with the same attributes is dropped: a producer that
 * splits a large study over two leaves repeats the study item (PS3.17 YYYY.7.10).
 * @throws {@link NotInOrderError} for any other key lower than the one before.
 */
export async function* ascending(records: AsyncIterable<DiffRecord>): AsyncGenerator<DiffRecord> {
  let held: DiffRecord | undefined;
  // The study and series records given out last: the only keys that may come again.
  let study: DiffRecord | undefined;
  let series: DiffRecord | undefined;
  const again = (record: DiffRecord, before: DiffRecord | undefined): boolean =>
    before !== undefined &&
    compare(record.uids, before.uids) === 0 &&
    record.attributes === before.attributes;
  for await (const record of records) {
    if (held === undefined) {
      held = record;
      continue;
    }
    const order = compare(record.uids, held.uids);
    if (order === 0) {
      held = record;
      continue;
    }
    if (order < 0) {
      if (again(record, study) || again(record, series)) continue;
      throw new NotInOrderError(
        `${record.uids.filter(Boolean).join(' ')} comes after ${held.uids.filter(Boolean).join(' ')}`,
      );
    }
    if (held.uids[1] === '') [study, series] = [held, undefined];
    else if (held.uids[2] === '') series = held;
    yield held;
    held = record;
  }
  if (held !== undefined) yield held;
}

/**
 * Merges two ascending sides, writing every difference to `spool` (JSON lines of DiffRow).
 * @throws {@link NotInOrderError} when a side is out of order.
 */
export async function mergeSides(
  a: AsyncIterable<DiffRecord>,
  b: AsyncIterable<DiffRecord>,
  spool: string,
): Promise<void> {
  const out = createWriteStream(spool);
  const closed = once(out, 'close');
  const write = async (row: DiffRow): Promise<void> => {
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  };
  const left = ascending(a)[Symbol.asyncIterator]();
  const right = ascending(b)[Symbol.asyncIterator]();
  try {
    let x = await left.next();
    let y = await right.next();
    while (x.done !== true || y.done !== true) {
      const order =
        x.done === true ? 1 : y.done === true ? -1 : compare(x.value.uids, y.value.uids);
      if (order < 0 && x.done !== true) {
        await write(row(x.value.uids, x.value.attributes, undefined));
        x = await left.next();
      } else if (order > 0 && y.done !== true) {
        await write(row(y.value.uids, undefined, y.value.attributes));
        y = await right.next();
      } else if (x.done !== true && y.done !== true) {
        if (x.value.attributes !== y.value.attributes)
          await write(row(x.value.uids, x.value.attributes, y.value.attributes));
        [x, y] = await Promise.all([left.next(), right.next()]);
      }
    }
  } finally {
    out.end();
    await closed;
    await Promise.all([left.return?.(undefined), right.return?.(undefined)]);
  }
}

function row(
  uids: readonly [string, string, string],
  a: string | undefined,
  b: string | undefined,
): DiffRow {
  return { study: uids[0], series: uids[1], instance: uids[2], a, b };
}

/** The differences a merge wrote, read back in order. */
export async function* spooled(spool: string): AsyncGenerator<DiffRow> {
  const lines = createInterface({ input: createReadStream(spool), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const parsed = JSON.parse(line) as {
      study: string;
      series: string;
      instance: string;
      a?: string;
      b?: string;
    };
    yield {
      study: parsed.study,
      series: parsed.series,
      instance: parsed.instance,
      a: parsed.a,
      b: parsed.b,
    };
  }
}
