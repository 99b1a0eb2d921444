import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DicomnetError } from '../dicomnet-error.js';
import { fromHex } from '@dicomnet/test-utils';
import { fixture } from '../../test/contract/data-set-fixtures.js';
import { readDataSetStructure, type StructureOptions } from './data-set-structure.js';

const EXPLICIT: StructureOptions = {
  explicitVr: true,
  littleEndian: true,
  implicitVr: () => 'UN',
  maxDepth: 8,
};
const IMPLICIT: StructureOptions = {
  explicitVr: false,
  littleEndian: true,
  implicitVr: (tag, undefinedLength) => (undefinedLength || tag === 0x00081110 ? 'SQ' : 'UN'),
  maxDepth: 8,
};

describe('readDataSetStructure', () => {
  it('finds elements, items and their extents', () => {
    const nodes = readDataSetStructure(
      fromHex(`
        08001011 5351 0000 FFFFFFFF       # (0008,1110) SQ, undefined length  @0
        FEFF00E0 0A000000                 # item of 10 bytes                  @12
        08005011 5549 0200 3100           # (0008,1150) UI "1"                @20
        FEFF00E0 FFFFFFFF                 # item, undefined length            @30
        FEFF0DE0 00000000                 #                                   @38
        FEFFDDE0 00000000                 #                                   @46
        10001000 504E 0400 412B4220       # (0010,0010) PN                    @54`),
      EXPLICIT,
    );
    expect(nodes).toEqual([
      {
        tag: 0x00081110,
        vr: 'SQ',
        offset: 0,
        valueOffset: 12,
        length: 34,
        undefinedLength: true,
        end: 54,
        items: [
          {
            offset: 12,
            contentOffset: 20,
            contentLength: 10,
            undefinedLength: false,
            end: 30,
            elements: [
              {
                tag: 0x00081150,
                vr: 'UI',
                offset: 20,
                valueOffset: 28,
                length: 2,
                undefinedLength: false,
                end: 30,
              },
            ],
          },
          {
            offset: 30,
            contentOffset: 38,
            contentLength: 0,
            undefinedLength: true,
            end: 46,
            elements: [],
          },
        ],
      },
      {
        tag: 0x00100010,
        vr: 'PN',
        offset: 54,
        valueOffset: 62,
        length: 4,
        undefinedLength: false,
        end: 66,
      },
    ]);
  });

  it('uses the dictionary callback in Implicit VR, also for sequences of defined length', () => {
    const nodes = readDataSetStructure(
      fromHex('08001011 10000000  FEFF00E0 08000000  08005011 00000000'),
      IMPLICIT,
    );
    expect(nodes[0]?.items?.[0]?.elements[0]).toMatchObject({
      tag: 0x00081150,
      vr: 'UN',
      length: 0,
    });
  });

  it('walks every DCMTK fixture to its end', () => {
    const bytes = fixture('data-set-all-vrs-explicit-lengths.bin');
    const nodes = readDataSetStructure(bytes, EXPLICIT);
    expect(nodes.at(-1)?.end).toBe(bytes.byteLength);
    expect(nodes.find((node) => node.tag === 0x00081110)?.items).toHaveLength(2);
  });

  it.each([
    ['a value overrunning its container', '10001000 504E 0800 4142'],
    ['a header cut short', '100010'],
    ['an unknown VR', '10001000 5A5A 0000'],
    ['an item at data set level', 'FEFF00E0 00000000'],
    ['a duplicate tag', '10001000 504E 0000 10001000 504E 0000'],
    ['an item without delimiter', '08001011 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF'],
    ['a sequence without delimiter', '08001011 5351 0000 FFFFFFFF FEFF00E0 00000000'],
    ['an item overrunning its sequence', '08001011 5351 0000 08000000 FEFF00E0 04000000'],
    ['undefined length on a string', '10001000 5554 0000 FFFFFFFF'],
    ['a non-item inside a sequence', '08001011 5351 0000 FFFFFFFF 10001000 504E 0000'],
  ])('refuses %s', (_label, hex) => {
    expect(() => readDataSetStructure(fromHex(hex), EXPLICIT)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_DATASET_MALFORMED' }),
    );
  });

  it('bounds the nesting depth', () => {
    const open = '08001011 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF';
    const close = 'FEFF0DE0 00000000 FEFFDDE0 00000000';
    const nested = (depth: number): Uint8Array => fromHex(open.repeat(depth) + close.repeat(depth));
    expect(readDataSetStructure(nested(8), EXPLICIT)).toHaveLength(1);
    expect(() => readDataSetStructure(nested(9), EXPLICIT)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_DATASET_MALFORMED' }),
    );
  });

  it('throws nothing but DicomnetError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.boolean(), (bytes, explicit) => {
        try {
          readDataSetStructure(bytes, explicit ? EXPLICIT : IMPLICIT);
        } catch (error) {
          expect(DicomnetError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
