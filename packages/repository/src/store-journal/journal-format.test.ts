import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHeader,
  decodeRecords,
  encodeHeader,
  encodeRecordHead,
  RECORDS_START,
  type JournalRecordKind,
} from './journal-format.js';

const encoder = new TextEncoder();

/** A journal file's bytes: the header block, then the given records of `generation`. */
function journalBytes(
  generation: number,
  records: readonly { kind: JournalRecordKind; key: string; payload?: Uint8Array }[],
  size = 64 * 1024,
): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(encodeHeader({ state: 'active', generation }), 0);
  let offset = RECORDS_START;
  for (const { kind, key, payload = new Uint8Array(0) } of records) {
    const head = encodeRecordHead(generation, kind, encoder.encode(key), [payload]);
    bytes.set(head, offset);
    bytes.set(payload, offset + head.byteLength);
    offset += head.byteLength + payload.byteLength;
  }
  return bytes;
}

describe('journal header', () => {
  it('round-trips and refuses zeros, a foreign file or a damaged header', () => {
    const bytes = encodeHeader({ state: 'checkpointed', generation: 77 });
    expect(decodeHeader(bytes)).toEqual({ state: 'checkpointed', generation: 77 });
    expect(decodeHeader(new Uint8Array(4096))).toBeUndefined();
    expect(decodeHeader(encoder.encode('not a journal at all, just text'))).toBeUndefined();
    const damaged = bytes.slice();
    damaged[8] = (damaged[8] ?? 0) ^ 1;
    expect(decodeHeader(damaged)).toBeUndefined();
  });
});

describe('journal records', () => {
  const payload = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);

  it('reads back every record of the generation, in order', () => {
    const bytes = journalBytes(5, [
      { kind: 'file', key: 'ab/one.dcm', payload },
      { kind: 'deleted', key: 'cd/two.dcm' },
      { kind: 'external', key: 'ab/one.dcm' },
    ]);
    const records = decodeRecords(bytes, 5);
    expect(records.map(({ kind, key }) => [kind, key])).toEqual([
      ['file', 'ab/one.dcm'],
      ['deleted', 'cd/two.dcm'],
      ['external', 'ab/one.dcm'],
    ]);
    expect(Buffer.from(records[0]?.payload ?? []).equals(payload)).toBe(true);
    expect(records[1]?.payload.byteLength).toBe(0);
  });

  it('stops at a torn record: a flipped byte anywhere in it, or a file that ends inside it', () => {
    const records = [
      { kind: 'file' as const, key: 'ab/one.dcm', payload },
      { kind: 'file' as const, key: 'ab/two.dcm', payload },
    ];
    const whole = journalBytes(1, records);
    const second = RECORDS_START + 24 + 10 + payload.byteLength;
    for (const at of [second + 2, second + 9, second + 20, second + 30, second + 1000]) {
      const torn = whole.slice();
      torn[at] = (torn[at] ?? 0) ^ 0x40;
      expect(
        decodeRecords(torn, 1).map(({ key }) => key),
        `byte ${at}`,
      ).toEqual(['ab/one.dcm']);
    }
    expect(decodeRecords(whole.subarray(0, second + 500), 1)).toHaveLength(1);
  });

  it('stops at a record left from another generation (a reused file)', () => {
    const old = journalBytes(3, [
      { kind: 'file', key: 'ab/old-1.dcm', payload },
      { kind: 'file', key: 'ab/old-2.dcm', payload },
    ]);
    const reused = old.slice();
    reused.set(
      journalBytes(4, [{ kind: 'file', key: 'ab/new.dcm', payload }]).subarray(
        0,
        RECORDS_START + 24 + 10 + payload.byteLength,
      ),
    );
    expect(decodeRecords(reused, 4).map(({ key }) => key)).toEqual(['ab/new.dcm']);
    expect(decodeRecords(reused, 3)).toEqual([]);
  });

  it('refuses a payload on a record that carries none', () => {
    const bytes = journalBytes(1, [{ kind: 'deleted', key: 'ab/x.dcm', payload }]);
    expect(decodeRecords(bytes, 1)).toEqual([]);
  });
});

describe('journal records, any damage', () => {
  const recordArbitrary = fc.record({
    kind: fc.constantFrom<JournalRecordKind>('file', 'deleted', 'external'),
    key: fc.string({ minLength: 1, maxLength: 80 }),
    payload: fc.uint8Array({ maxLength: 3000 }),
  });

  it('reads back a prefix of what was written, whatever bytes are flipped or cut', () => {
    fc.assert(
      fc.property(
        fc.array(recordArbitrary, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        fc.option(fc.nat()),
        (records, flips, cut) => {
          const written = records.map(({ kind, key, payload }) => ({
            kind,
            key,
            payload: kind === 'file' ? payload : new Uint8Array(0),
          }));
          const bytes = journalBytes(9, written, 64 * 1024);
          for (const [at, mask] of flips) {
            const index = RECORDS_START + (at % (bytes.byteLength - RECORDS_START));
            bytes[index] = (bytes[index] ?? 0) ^ mask;
          }
          const damaged =
            cut === null ? bytes : bytes.subarray(0, RECORDS_START + (cut % (60 * 1024)));
          const read = decodeRecords(damaged, 9);
          expect(read.length).toBeLessThanOrEqual(written.length);
          read.forEach((record, i) => {
            expect(record.kind).toBe(written[i]?.kind);
            expect(record.key).toBe(written[i]?.key);
            expect(
              Buffer.from(record.payload).equals(written[i]?.payload ?? new Uint8Array(0)),
            ).toBe(true);
          });
        },
      ),
    );
  });
});
