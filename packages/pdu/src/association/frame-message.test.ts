import { describe, expect, it } from 'vitest';
import { decodePDataTf } from '../codec/index.js';
import type { PDataTf } from '../codec/index.js';
import { InvalidPduFieldError } from '../errors.js';
import { framedChunks, framedCopy, frameMessage, framedSize } from './frame-message.js';

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let index = 0; index < length; index++) out[index] = (index * 7 + seed) & 0xff;
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** Splits a byte stream of whole PDUs and decodes each. */
function decodeAll(stream: Uint8Array): PDataTf[] {
  const pdus: PDataTf[] = [];
  let at = 0;
  while (at < stream.byteLength) {
    const length = new DataView(stream.buffer, stream.byteOffset + at + 2, 4).getUint32(0);
    expect(stream[at]).toBe(0x04);
    pdus.push(decodePDataTf(stream.subarray(at + 6, at + 6 + length)));
    at += 6 + length;
  }
  return pdus;
}

describe('frameMessage', () => {
  it('puts a command and a data set that fit into one P-DATA-TF with two PDVs, byte for byte', () => {
    const command = Uint8Array.of(0x00, 0x00, 0x00, 0x00, 0x04, 0x00);
    const dataSet = Uint8Array.of(0x08, 0x00, 0x52, 0x00);
    const pdus = frameMessage(3, command, dataSet, 16384);
    // PS3.8 Table 9-22: 04H, 00H, PDU-length; Table 9-23: item-length, context ID, then the
    // message control header of E.2: 03H (command, last) and 02H (data set, last).
    const expected = Uint8Array.of(
      0x04, 0x00, 0x00, 0x00, 0x00, 0x16,
      0x00, 0x00, 0x00, 0x08, 0x03, 0x03, ...command,
      0x00, 0x00, 0x00, 0x06, 0x03, 0x02, ...dataSet,
    ); // prettier-ignore
    expect(framedSize(pdus)).toBe(expected.byteLength);
    expect(new Uint8Array(framedCopy(3, pdus))).toEqual(expected);
    expect(concat(framedChunks(3, pdus))).toEqual(expected);
  });

  it('frames a command alone as one PDU with one PDV', () => {
    const command = bytes(78, 1);
    const stream = framedCopy(1, frameMessage(1, command, undefined, 0x4000));
    expect(Array.from(stream.subarray(0, 12))).toEqual([4, 0, 0, 0, 0, 84, 0, 0, 0, 80, 1, 3]);
    expect(new Uint8Array(stream.subarray(12))).toEqual(command);
  });

  it('fills PDUs to a small maximum PDU length, never two PDVs of one kind in a PDU', () => {
    const command = bytes(30, 2);
    const dataSet = bytes(101 * 2, 3);
    for (const limit of [8, 10, 20, 36, 38, 50, 64, 100, 250]) {
      const pdus = frameMessage(5, command, dataSet, limit);
      const decoded = decodeAll(framedCopy(5, pdus));
      expect(concat(framedChunks(5, pdus))).toEqual(new Uint8Array(framedCopy(5, pdus)));
      const commandPieces: Uint8Array[] = [];
      const dataPieces: Uint8Array[] = [];
      for (const pdu of decoded) {
        const length = pdu.pdvs.reduce((sum, pdv) => sum + 6 + pdv.fragment.byteLength, 0);
        expect(length).toBeLessThanOrEqual(limit);
        expect(pdu.pdvs.length).toBeLessThanOrEqual(2);
        if (pdu.pdvs.length === 2) {
          // Only the command's last fragment may share a PDU, and only with data that follows.
          expect(pdu.pdvs[0]).toMatchObject({ isCommand: true, isLast: true });
          expect(pdu.pdvs[1]?.isCommand).toBe(false);
        }
        for (const pdv of pdu.pdvs) {
          expect(pdv.presentationContextId).toBe(5);
          expect(pdv.fragment.byteLength % 2).toBe(0);
          expect(pdv.fragment.byteLength).toBeGreaterThan(0);
          (pdv.isCommand ? commandPieces : dataPieces).push(pdv.fragment);
        }
      }
      const pdvs = decoded.flatMap((pdu) => pdu.pdvs);
      const lastCommand = pdvs.findIndex((pdv) => pdv.isCommand && pdv.isLast);
      // The command comes whole before the data set (PS3.7 6.3.1), each with one last fragment.
      expect(pdvs.slice(0, lastCommand + 1).every((pdv) => pdv.isCommand)).toBe(true);
      expect(pdvs.slice(lastCommand + 1).every((pdv) => !pdv.isCommand)).toBe(true);
      expect(pdvs.filter((pdv) => pdv.isLast)).toHaveLength(2);
      expect(pdvs.at(-1)?.isLast).toBe(true);
      expect(concat(commandPieces)).toEqual(command);
      expect(concat(dataPieces)).toEqual(dataSet);
    }
  });

  it('starts the data set in a new PDU when the command fills its PDU', () => {
    const pdus = frameMessage(1, bytes(10, 4), bytes(4, 5), 16);
    expect(pdus.map((pdu) => pdu.pdvs.map((pdv) => pdv.fragment.byteLength))).toEqual([[10], [4]]);
  });

  it('refuses odd lengths, a bad context ID and a limit without room for data', () => {
    expect(() => frameMessage(1, bytes(3, 0), undefined, 100)).toThrow(InvalidPduFieldError);
    expect(() => frameMessage(1, bytes(4, 0), bytes(5, 0), 100)).toThrow(InvalidPduFieldError);
    expect(() => frameMessage(2, bytes(4, 0), undefined, 100)).toThrow(InvalidPduFieldError);
    expect(() => frameMessage(1, bytes(4, 0), undefined, 7)).toThrow(InvalidPduFieldError);
  });
});
