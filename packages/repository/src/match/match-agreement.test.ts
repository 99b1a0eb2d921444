// Property: for random records and random queries, toSql() run on a real SQLite (plus its
// residual in memory) selects exactly the records matches() selects. Bounded by numRuns.
import type { DataElement, DataSet } from '@dicomnet/data';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../sqlite/index.js';
import { parseQuery } from './parse-query.js';
import type { ParseQueryOptions } from './parse-query.js';
import type { MatchRecord } from './query.js';
import { QueryError } from './query-error.js';
import {
  fillFixtureTable,
  openFixtureDatabase,
  selectInMemory,
  selectWithSql,
} from '../../test/helpers/sql-fixture.js';
import { TAG, element } from '../../test/helpers/test-elements.js';

let db: SqliteDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
});
afterAll(() => db.close());

// Small pools, so that keys and records collide often; characters that SQL treats specially.
const IDS = ['P1', 'p1', ' P1 ', 'P2', "O'B", '%_', '[a]', 'a*b', 'Ab?', 'é', 'É', ''];
const NAMES = ['DOE^JOHN', 'doe^john', 'DOE^JOHN^^', 'DOE^JANE', 'Élodie', 'ÉLODIE', 'X=Y', ''];
const DATES = ['20191231', '20200101', '20200229', '20200615', '20201231', '20210101'];
const TIMES = ['00', '0930', '093000', '093000.5', '1030', '235959.999999', '12'];
const DATE_TIMES = [
  '2020',
  '202001011030',
  '20200101103000+0100',
  '20200101103000-0230',
  '20191231235959.9',
];
const UIDS = ['1.2.3', '1.2.4', '1.2.30', '1.2'];
const AES = ['AE_1', 'AEX1', 'ae_1'];
const MODALITIES = ['CT', 'PT', 'MR', 'ct', ' CT', ''];

const maybe = <T>(values: readonly T[]): fc.Arbitrary<T[] | undefined> =>
  fc.option(
    fc.constantFrom(...values).map((value) => [value]),
    { nil: undefined },
  );

const recordArbitrary: fc.Arbitrary<MatchRecord> = fc
  .record({
    id: maybe(IDS),
    name: maybe(NAMES),
    date: maybe(DATES),
    time: maybe(TIMES),
    dateTime: maybe(DATE_TIMES),
    uid: maybe(UIDS),
    ae: maybe(AES),
    modalities: fc.option(fc.subarray(MODALITIES, { maxLength: 3 }), { nil: undefined }),
  })
  .map((r) => {
    const record: Record<string, string[]> = {};
    const put = (tag: string, value: string[] | undefined): void => {
      if (value !== undefined) record[tag] = value;
    };
    put(TAG.patientId, r.id);
    put(TAG.patientName, r.name);
    put(TAG.studyDate, r.date);
    put(TAG.studyTime, r.time);
    put(TAG.acquisitionDateTime, r.dateTime);
    put(TAG.studyUid, r.uid);
    put(TAG.retrieveAe, r.ae);
    put(TAG.modalitiesInStudy, r.modalities);
    return record;
  });

/** A key value from a pool value: as is, or with characters replaced by * and ?. */
function textKey(pool: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...pool, '*', '""'),
      fc.array(fc.tuple(fc.nat(8), fc.constantFrom('*', '?')), { maxLength: 2 }),
    )
    .map(([value, edits]) => {
      const characters = [...value];
      for (const [at, wildcard] of edits) {
        if (characters.length > 0) characters[at % characters.length] = wildcard;
      }
      return characters.join('');
    });
}

function rangeKey(pool: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...pool, ''), fc.constantFrom(...pool, ''), fc.boolean())
    .map(([from, to, single]) => (single ? from : `${from}-${to}`));
}

type Entry = readonly [tag: string, key: DataElement, hour?: string];

// One or two keys per query: with more, almost nothing matches and the property proves little.
const keyArbitrary: fc.Arbitrary<DataSet> = fc
  .array(
    fc.oneof(
      textKey(IDS).map((v): Entry => [TAG.patientId, element('LO', v)]),
      // The pair combined datetime matching joins (C.2.2.2.5.4), open ends alike.
      fc
        .tuple(
          fc.constantFrom(...DATES),
          fc.constantFrom(...TIMES),
          fc.constantFrom('from', 'to', 'both'),
        )
        .map(([day, hour, form]): Entry => [
          TAG.studyDate,
          element('DA', form === 'to' ? `-${day}` : form === 'from' ? `${day}-` : `${day}-${day}`),
          hour,
        ]),
      textKey(NAMES).map((v): Entry => [TAG.patientName, element('PN', v)]),
      rangeKey(DATES).map((v): Entry => [TAG.studyDate, element('DA', v)]),
      rangeKey(TIMES).map((v): Entry => [TAG.studyTime, element('TM', v)]),
      rangeKey(DATE_TIMES).map((v): Entry => [TAG.acquisitionDateTime, element('DT', v)]),
      fc
        .subarray([...UIDS], { maxLength: 3 })
        .map((v): Entry => [TAG.studyUid, element('UI', ...v)]),
      textKey(AES).map((v): Entry => [TAG.retrieveAe, element('AE', v)]),
      // Multi-valued keys need Multiple Value Matching; without it they are refused.
      fc
        .array(textKey(MODALITIES), { minLength: 1, maxLength: 2 })
        .map((v): Entry => [TAG.modalitiesInStudy, element('CS', ...v)]),
    ),
    { minLength: 1, maxLength: 2 },
  )
  .map((entries) => {
    const identifier: Record<string, DataSet[string]> = {};
    for (const [tag, key, hour] of entries) {
      identifier[tag] = key;
      if (hour === undefined) continue;
      // The TM key takes the DA key's form, so that the two combine.
      const dateKey = String(key.Value?.[0]);
      const form = dateKey.startsWith('-')
        ? `-${hour}`
        : dateKey.endsWith('-')
          ? `${hour}-`
          : `${hour}-${hour}`;
      identifier[TAG.studyTime] = element('TM', form);
    }
    return identifier as DataSet;
  });

const optionsArbitrary: fc.Arbitrary<ParseQueryOptions> = fc.record({
  personNameCase: fc.constantFrom('sensitive', 'insensitive'),
  emptyValue: fc.boolean(),
  combinedDateTime: fc.boolean(),
  multipleValue: fc.boolean(),
});

describe('toSql and matches agree (PS3.4 C.2.2.2)', () => {
  it('on random records and queries, with PN stored as written and folded', () => {
    let parsed = 0;
    let selecting = 0;
    fc.assert(
      fc.property(
        fc.array(recordArbitrary, { maxLength: 25 }),
        keyArbitrary,
        optionsArbitrary,
        (records, key, options) => {
          let query;
          try {
            query = parseQuery(key, options);
          } catch (error) {
            // Reversed ranges and the like: refused, never half-matched.
            expect(error).toBeInstanceOf(QueryError);
            return;
          }
          parsed++;
          fillFixtureTable(db, records);
          const expected = selectInMemory(query, records);
          if (expected.length > 0) selecting++;
          expect(selectWithSql(db, query, records, 'text')).toEqual(expected);
          expect(selectWithSql(db, query, records, 'folded')).toEqual(expected);
        },
      ),
      { numRuns: 1500 },
    );
    // The generator must mostly make valid queries that select something, or it proves little.
    expect(parsed).toBeGreaterThan(750);
    expect(selecting).toBeGreaterThan(400);
  });
});
