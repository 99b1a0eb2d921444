import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiffRow } from './inventory-diff-table.js';
import {
  ascending,
  mergeSides,
  NotInOrderError,
  spooled,
  type DiffRecord,
} from './inventory-diff-merge.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'diff-merge-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (uids: string, attributes = '{}'): DiffRecord => {
  const [study = '', series = '', instance = ''] = uids.split(' ');
  return { uids: [study, series, instance], attributes };
};

async function* from(records: readonly DiffRecord[]): AsyncGenerator<DiffRecord> {
  yield* records;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('ascending', () => {
  it('keeps the last of equal keys and drops a repeated study or series record of a split study', async () => {
    const records = [
      record('1.1'),
      record('1.1 1.1.1'),
      record('1.1 1.1.1 1.1.1.1'),
      // the second leaf repeats the study item and the series (PS3.17 YYYY.7.10)
      record('1.1'),
      record('1.1 1.1.1'),
      record('1.1 1.1.1 1.1.1.2', '{"a":1}'),
      record('1.1 1.1.1 1.1.1.2', '{"a":2}'),
      record('1.2'),
    ];
    expect(
      (await all(ascending(from(records)))).map((r) => `${r.uids.join('/')}=${r.attributes}`),
    ).toEqual([
      '1.1//={}',
      '1.1/1.1.1/={}',
      '1.1/1.1.1/1.1.1.1={}',
      '1.1/1.1.1/1.1.1.2={"a":2}',
      '1.2//={}',
    ]);
  });

  it('refuses a key lower than the one before otherwise', async () => {
    await expect(all(ascending(from([record('1.2'), record('1.1')])))).rejects.toBeInstanceOf(
      NotInOrderError,
    );
    // A repeated study record with other attributes is not a repeat.
    await expect(
      all(ascending(from([record('1.1'), record('1.1 2'), record('1.1', '{"x":1}')]))),
    ).rejects.toBeInstanceOf(NotInOrderError);
  });
});

describe('mergeSides', () => {
  it('spools what only one side has and what differs, in key order', async () => {
    const spool = path.join(dir, 'a.jsonl');
    await mergeSides(
      from([record('1.1'), record('1.1 5'), record('1.3', '{"m":"CT"}')]),
      from([record('1.1'), record('1.2'), record('1.3', '{"m":"MR"}'), record('1.4')]),
      spool,
    );
    const rows: DiffRow[] = await all(spooled(spool));
    expect(rows).toEqual([
      { study: '1.1', series: '5', instance: '', a: '{}', b: undefined },
      { study: '1.2', series: '', instance: '', a: undefined, b: '{}' },
      { study: '1.3', series: '', instance: '', a: '{"m":"CT"}', b: '{"m":"MR"}' },
      { study: '1.4', series: '', instance: '', a: undefined, b: '{}' },
    ]);
  });

  it('stops with NotInOrderError on a side out of order', async () => {
    await expect(
      mergeSides(
        from([record('1.1')]),
        from([record('1.3'), record('1.2')]),
        path.join(dir, 'b.jsonl'),
      ),
    ).rejects.toBeInstanceOf(NotInOrderError);
  });
});
