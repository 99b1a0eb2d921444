import { concatBytes, fromHex, splits } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { expectSameAtEverySplit, loadFixture, readAll } from '../test/fixtures/golden.js';
import { decodePdu } from './codec/pdu.js';
import { PduType } from './codec/pdu-type.js';
import {
  DicomnetError,
  MalformedPduError,
  PduTooLargeError,
  PduTruncatedError,
  UnknownPduTypeError,
} from './errors.js';
import { PduReader } from './pdu-reader.js';
import { readPdus } from './read-pdus.js';

const rejected = fromHex('03 00 00000004 00 01 01 01');
const releaseRq = fromHex('05 00 00000004 00000000');
const pData = (length: number): Uint8Array => {
  const pdv = new Uint8Array(length);
  new DataView(pdv.buffer).setUint32(0, length - 4);
  pdv[4] = 1;
  return concatBytes(fromHex(`04 00 ${length.toString(16).padStart(8, '0')}`), pdv);
};
const thrown = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('PduReader framing (PS3.8 9.3)', () => {
  it('yields the same PDUs wherever a stream of every fixture PDU is cut', () => {
    const names = [
      'associate-rq.hex',
      'associate-ac.hex',
      'associate-rj.hex',
      'p-data-tf.hex',
      'release-rq.hex',
      'release-rp.hex',
      'abort.hex',
    ];
    const stream = concatBytes(...names.map(loadFixture));
    const expected = readAll([stream]);
    expect(expected.map((pdu) => pdu.type)).toEqual([
      'A-ASSOCIATE-RQ',
      'A-ASSOCIATE-AC',
      'A-ASSOCIATE-RJ',
      'P-DATA-TF',
      'A-RELEASE-RQ',
      'A-RELEASE-RP',
      'A-ABORT',
    ]);
    expectSameAtEverySplit(stream, expected);
  });

  it('returns PDU types and bodies in arrival order, several per chunk', () => {
    const reader = new PduReader();
    const raws = reader.push(concatBytes(rejected, releaseRq));
    expect(raws.map((raw) => raw.type)).toEqual([PduType.AssociateRj, PduType.ReleaseRq]);
    expect(raws.map((raw) => raw.body)).toEqual([fromHex('00010101'), fromHex('00000000')]);
  });

  it('returns bodies as views when the PDU lies in one chunk, copies when it spans chunks', () => {
    const chunk = concatBytes(rejected, releaseRq);
    const [first, second] = new PduReader().push(chunk);
    expect(first?.body.buffer).toBe(chunk.buffer);
    expect(second?.body.byteOffset).toBe(chunk.byteOffset + 16);

    const reader = new PduReader();
    expect(reader.push(rejected.subarray(0, 8))).toEqual([]);
    const [spanning] = reader.push(rejected.subarray(8));
    expect(spanning?.body).toEqual(fromHex('00010101'));
    expect(spanning?.body.buffer).not.toBe(rejected.buffer);
  });

  it('keeps PDV fragments as views of the socket chunk', () => {
    const chunk = loadFixture('p-data-tf.hex');
    const [raw] = new PduReader().push(chunk);
    if (raw === undefined) throw new Error('no PDU');
    const pdu = decodePdu(raw);
    if (pdu.type !== 'P-DATA-TF') throw new Error(pdu.type);
    expect(pdu.pdvs.every((pdv) => pdv.fragment.buffer === chunk.buffer)).toBe(true);
  });

  it('reports what it buffers and keeps only the unfinished tail', () => {
    const reader = new PduReader();
    expect(reader.push(new Uint8Array(0))).toEqual([]);
    expect(reader.push(concatBytes(rejected, releaseRq.subarray(0, 7)))).toHaveLength(1);
    expect(reader.bufferedBytes).toBe(7);
    expect(reader.push(releaseRq.subarray(7))).toHaveLength(1);
    expect(reader.bufferedBytes).toBe(0);
    reader.end();
  });

  it('handles a PDU with an empty body', () => {
    const [raw] = new PduReader().push(fromHex('01 00 00000000'));
    expect(raw).toEqual({ type: 1, body: new Uint8Array(0) });
  });
});

describe('PduReader limits, checked as soon as the 6-byte header is in', () => {
  it('refuses a P-DATA-TF over maxPduLength before its body arrives (PS3.8 D.1)', () => {
    const reader = new PduReader({ maxPduLength: 16 });
    expect(reader.push(pData(16))).toHaveLength(1);
    const error = thrown(() => reader.push(pData(17).subarray(0, 6)));
    expect(error).toBeInstanceOf(PduTooLargeError);
    expect(error).toMatchObject({
      code: 'DICOMNET_PDU_TOO_LARGE',
      declaredLength: 17,
      maxPduLength: 16,
      pduType: PduType.PDataTf,
      abortSource: 2,
      abortReason: 6,
    });
  });

  it('refuses a declared length of 0xFFFFFFFF without buffering it', () => {
    const reader = new PduReader();
    expect(() => reader.push(fromHex('04 00 ffffffff'))).toThrow(PduTooLargeError);
    expect(() => new PduReader().push(fromHex('01 00 ffffffff'))).toThrow(PduTooLargeError);
  });

  it('treats maxPduLength 0 as "no maximum", capped by maxUnboundedPduLength', () => {
    const reader = new PduReader({ maxPduLength: 0, maxUnboundedPduLength: 100 });
    expect(reader.push(pData(100))).toHaveLength(1);
    expect(thrown(() => reader.push(pData(101)))).toMatchObject({ maxPduLength: 100 });
  });

  it('bounds A-ASSOCIATE-RQ/AC by maxAssociatePduLength, not by maxPduLength', () => {
    const rq = loadFixture('associate-rq.hex');
    expect(readAll([rq], { maxPduLength: 16 })).toHaveLength(1);
    const error = thrown(() =>
      new PduReader({ maxAssociatePduLength: 476 }).push(rq.subarray(0, 6)),
    );
    expect(error).toMatchObject({
      code: 'DICOMNET_PDU_TOO_LARGE',
      declaredLength: 477,
      pduType: 1,
    });
  });

  it.each([
    ['A-ASSOCIATE-RJ', '03 00 00000005'],
    ['A-RELEASE-RQ', '05 00 00000000'],
    ['A-RELEASE-RP', '06 00 00000003'],
    ['A-ABORT', '07 00 ffffffff'],
  ])('refuses %s with a PDU-length other than 4', (_name, header) => {
    const error = thrown(() => new PduReader().push(fromHex(header)));
    expect(error).toBeInstanceOf(MalformedPduError);
    expect(error).toMatchObject({ offset: 2, abortSource: 2, abortReason: 6 });
  });

  it.each([0x00, 0x08, 0x47, 0xff])(
    'refuses unknown PDU type %i from its first byte (abort 2/1)',
    (type) => {
      const error = thrown(() => new PduReader().push(Uint8Array.of(type)));
      expect(error).toBeInstanceOf(UnknownPduTypeError);
      expect(error).toMatchObject({
        code: 'DICOMNET_PDU_UNKNOWN_TYPE',
        pduType: type,
        abortSource: 2,
        abortReason: 1,
      });
    },
  );

  it('rejects invalid limits', () => {
    expect(() => new PduReader({ maxPduLength: -1 })).toThrow(DicomnetError);
    expect(() => new PduReader({ maxPduLength: 1.5 })).toThrow(DicomnetError);
    expect(() => new PduReader({ maxAssociatePduLength: 0 })).toThrow(DicomnetError);
    expect(() => new PduReader({ maxUnboundedPduLength: 2 ** 32 })).toThrow(DicomnetError);
  });
});

describe('PduReader end of stream and failure', () => {
  it('end() throws PduTruncatedError when the stream stops inside a PDU', () => {
    for (const [head] of splits(releaseRq)) {
      if (head === undefined || head.length === 0 || head.length === releaseRq.length) continue;
      const reader = new PduReader();
      reader.push(head);
      const error = thrown(() => reader.end());
      expect(error).toBeInstanceOf(PduTruncatedError);
      expect(error).toMatchObject({ code: 'DICOMNET_PDU_TRUNCATED', bufferedBytes: head.length });
      expect(error).not.toHaveProperty('abortSource');
    }
  });

  it('stays broken after an error: later calls throw the same error', () => {
    const reader = new PduReader();
    const error = thrown(() => reader.push(concatBytes(rejected, fromHex('09 00 00000004'))));
    expect(thrown(() => reader.push(releaseRq))).toBe(error);
    expect(thrown(() => reader.end())).toBe(error);
  });
});

describe('readPdus', () => {
  async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield part;
  }

  it('yields the PDUs of an async stream of chunks', async () => {
    const stream = concatBytes(rejected, releaseRq);
    const types: number[] = [];
    for await (const raw of readPdus(
      chunks(stream.subarray(0, 3), stream.subarray(3, 13), stream.subarray(13)),
    )) {
      types.push(raw.type);
    }
    expect(types).toEqual([PduType.AssociateRj, PduType.ReleaseRq]);
  });

  it('throws PduTruncatedError when the source ends inside a PDU', async () => {
    const collect = async (): Promise<void> => {
      for await (const raw of readPdus(chunks(rejected, releaseRq.subarray(0, 9)))) void raw;
    };
    await expect(collect()).rejects.toBeInstanceOf(PduTruncatedError);
  });

  it('passes the options to the reader', async () => {
    const collect = async (): Promise<void> => {
      for await (const raw of readPdus(chunks(pData(20)), { maxPduLength: 8 })) void raw;
    };
    await expect(collect()).rejects.toBeInstanceOf(PduTooLargeError);
  });
});
