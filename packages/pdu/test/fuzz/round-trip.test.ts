import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu, PduReader, PDU_HEADER_LENGTH } from '../../src/codec/index.js';
import { normalise, pdu } from './arbitraries.js';

describe('round trips over generated PDUs (STYLE.md §13)', { timeout: 30_000 }, () => {
  it('decode(encode(pdu)) equals the pdu, normalised where decoding trims', () => {
    fc.assert(
      fc.property(pdu, (value) => {
        const bytes = encodePdu(value);
        const reader = new PduReader({ maxPduLength: 0 });
        const raws = reader.push(bytes);
        expect(raws).toHaveLength(1);
        expect(reader.bufferedBytes).toBe(0);
        const [raw] = raws;
        if (raw === undefined) return;
        expect(raw.body.byteLength).toBe(bytes.byteLength - PDU_HEADER_LENGTH);
        expect(decodePdu(raw)).toEqual(normalise(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('re-encoding a decoded PDU gives the same bytes (for values already normalised)', () => {
    fc.assert(
      fc.property(pdu, (value) => {
        const bytes = encodePdu(normalise(value));
        const [raw] = new PduReader({ maxPduLength: 0 }).push(bytes);
        if (raw === undefined) throw new Error('no PDU');
        expect(encodePdu(decodePdu(raw))).toEqual(bytes);
      }),
      { numRuns: 1_000 },
    );
  });

  it('a stream of PDUs cut into random chunks gives the same PDUs', () => {
    const stream = fc.array(pdu, { minLength: 1, maxLength: 5 });
    const cuts = fc.array(fc.integer({ min: 0, max: 4_000 }), { maxLength: 10 });
    fc.assert(
      fc.property(stream, cuts, (values, offsets) => {
        const encoded = values.map((value) => encodePdu(value));
        const total = encoded.reduce((sum, bytes) => sum + bytes.byteLength, 0);
        const joined = new Uint8Array(total);
        let at = 0;
        for (const bytes of encoded) {
          joined.set(bytes, at);
          at += bytes.byteLength;
        }
        const points = [...new Set(offsets.map((offset) => offset % (total + 1)))].sort(
          (a, b) => a - b,
        );
        const reader = new PduReader({ maxPduLength: 0 });
        const decoded = [];
        let start = 0;
        for (const point of [...points, total]) {
          decoded.push(...reader.push(joined.subarray(start, point)).map((raw) => decodePdu(raw)));
          start = point;
        }
        reader.end();
        expect(decoded).toEqual(values.map(normalise));
      }),
      { numRuns: 500 },
    );
  });
});
