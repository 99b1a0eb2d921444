import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import {
  decodePdu,
  DicomnetError,
  encodePdu,
  PduReader,
  PDU_HEADER_LENGTH,
} from '../../src/codec/index.js';
import { loadFixture } from '../fixtures/golden.js';
import { pdu } from './arbitraries.js';

const MAX_PDU_LENGTH = 256;
const MAX_ASSOCIATE_PDU_LENGTH = 2_048;
/** What the reader may hold between pushes: an unfinished PDU within its limit. */
const MAX_HELD = PDU_HEADER_LENGTH + Math.max(MAX_PDU_LENGTH, MAX_ASSOCIATE_PDU_LENGTH);

/**
 * Feeds `chunks` to a reader and decodes every PDU it yields. Anything thrown must be a
 * DicomnetError; the reader never holds more than one unfinished PDU within its limit.
 */
function feed(chunks: readonly Uint8Array[]): void {
  const reader = new PduReader({
    maxPduLength: MAX_PDU_LENGTH,
    maxAssociatePduLength: MAX_ASSOCIATE_PDU_LENGTH,
  });
  try {
    for (const chunk of chunks) {
      for (const raw of reader.push(chunk)) decodePdu(raw);
      expect(reader.bufferedBytes).toBeLessThan(MAX_HELD);
    }
    reader.end();
  } catch (error) {
    if (!DicomnetError.isInstance(error)) throw error;
    expect(error.code).toMatch(/^DICOMNET_PDU_/);
  }
}

/** Cuts `bytes` at the given offsets (taken modulo its length). */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

type Mutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'delete'; at: number }
  | { kind: 'length16'; at: number; value: number }
  | { kind: 'length32'; at: number; value: number };

const position = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    at: position,
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position }),
  fc.record({
    kind: fc.constant('length16' as const),
    at: position,
    value: fc.oneof(fc.constantFrom(0, 1, 2, 0xffff), fc.integer({ min: 0, max: 0xffff })),
  }),
  fc.record({
    kind: fc.constant('length32' as const),
    at: position,
    value: fc.oneof(
      fc.constantFrom(0, 1, 2, 4, 0x7fffffff, 0xffffffff),
      fc.integer({ min: 0, max: 0xffffffff }),
    ),
  }),
);

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const change of mutations) {
    if (out.length === 0) break;
    const at = change.at % out.length;
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    switch (change.kind) {
      case 'set':
        out[at] = change.value;
        break;
      case 'truncate':
        out = out.subarray(0, at);
        break;
      case 'insert':
        out = Uint8Array.from([...out.subarray(0, at), change.value, ...out.subarray(at)]);
        break;
      case 'delete':
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1)]);
        break;
      case 'length16':
        if (at + 2 <= out.length) view.setUint16(at, change.value);
        break;
      case 'length32':
        if (at + 4 <= out.length) view.setUint32(at, change.value);
        break;
    }
  }
  return out;
}

const fixtureNames = readdirSync(new URL('../fixtures/', import.meta.url)).filter(
  (name) =>
    name.endsWith('.hex') && !name.startsWith('user-information-') && !name.includes('getscu'),
);
const fixtures = fixtureNames.map(loadFixture);

describe('hostile input never escapes as anything but a DicomnetError', { timeout: 30_000 }, () => {
  it('random byte chunks', () => {
    const chunks = fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 });
    fc.assert(
      fc.property(chunks, (input) => feed(input)),
      { numRuns: 2_000 },
    );
  });

  it('random bytes after a valid PDU type byte', () => {
    const input = fc.tuple(
      fc.integer({ min: 1, max: 7 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.array(fc.nat(), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(input, ([type, rest, offsets]) =>
        feed(cut(Uint8Array.from([type, ...rest]), offsets)),
      ),
      { numRuns: 2_000 },
    );
  });

  it('random bodies handed straight to decodePdu for every type', () => {
    const input = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 200 }));
    fc.assert(
      fc.property(input, ([type, body]) => {
        try {
          decodePdu({ type, body });
        } catch (error) {
          if (!DicomnetError.isInstance(error)) throw error;
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('mutated generated PDUs (flipped bytes, truncation, changed and huge lengths)', () => {
    const input = fc.tuple(
      pdu,
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      fc.array(fc.nat(), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(input, ([value, mutations, offsets]) =>
        feed(cut(mutate(encodePdu(value), mutations), offsets)),
      ),
      { numRuns: 3_000 },
    );
  });

  it('mutated fixtures, DCMTK captures included', () => {
    const input = fc.tuple(
      fc.constantFrom(...fixtures),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      fc.array(fc.nat(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(input, ([bytes, mutations, offsets]) =>
        feed(cut(mutate(bytes, mutations), offsets)),
      ),
      { numRuns: 3_000 },
    );
  });
});
