import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { asciiHex, fromHex } from '@dicomnet/test-utils';
import { fixture } from '../../test/contract/data-set-fixtures.js';
import { readDataSetUids } from './read-data-set-uids.js';

const SC = '1.2.840.10008.5.1.4.1.1.7';
const UID = '1.2.826.0.1.3680043.8.498.77';
const FOUND = { sopClassUid: SC, sopInstanceUid: UID, complete: true };

describe('readDataSetUids', () => {
  it.each([
    ['data-set-all-vrs-implicit.bin', '1.2.840.10008.1.2'],
    ['data-set-all-vrs-explicit.bin', '1.2.840.10008.1.2.1'],
    ['data-set-all-vrs-big-endian.bin', '1.2.840.10008.1.2.2'],
    ['data-set-all-vrs-deflated.bin', '1.2.840.10008.1.2.1.99'],
  ])('finds both UIDs in DCMTK fixture %s', (name, syntax) => {
    expect(readDataSetUids(fixture(name), syntax)).toEqual(FOUND);
  });

  it('never claims completeness for a cut data set, and is right once it does', () => {
    for (const [name, syntax] of [
      ['data-set-all-vrs-explicit.bin', '1.2.840.10008.1.2.1'],
      ['data-set-all-vrs-implicit.bin', '1.2.840.10008.1.2'],
    ] as const) {
      const bytes = fixture(name);
      for (let cut = 0; cut <= 200; cut++) {
        const result = readDataSetUids(bytes.subarray(0, cut), syntax);
        if (result.complete) expect(result).toEqual(FOUND);
        else expect(result.sopInstanceUid).toBeUndefined();
      }
    }
  });

  it('skips sequences of undefined length that come first', () => {
    const bytes = fromHex(`
      08000600 5351 0000 FFFFFFFF            # (0008,0006) SQ, undefined length
      FEFF00E0 FFFFFFFF                      # item, undefined length
      08000001 5348 0200 4142                # (0008,0100) SH "AB"
      08000101 5351 0000 FFFFFFFF FEFFDDE0 00000000   # nested empty sequence
      FEFF0DE0 00000000 FEFFDDE0 00000000
      08001600 5549 0400 ${asciiHex('1.2', 4, 0)}
      08001800 5549 0400 ${asciiHex('1.3', 4, 0)}`);
    expect(readDataSetUids(bytes, '1.2.840.10008.1.2.1')).toEqual({
      sopClassUid: '1.2',
      sopInstanceUid: '1.3',
      complete: true,
    });
    expect(readDataSetUids(bytes.subarray(0, 30), '1.2.840.10008.1.2.1')).toEqual({
      complete: false,
    });
  });

  it('reports absence once a later tag is reached', () => {
    expect(readDataSetUids(fromHex('10001000 504E 0400 412B4220'), '1.2.840.10008.1.2.1')).toEqual({
      complete: true,
    });
  });

  it('inflates only the start of a deflated data set', () => {
    const deflated = deflateRawSync(
      new Uint8Array([...fixture('data-set-all-vrs-explicit.bin'), ...new Uint8Array(1 << 20)]),
    );
    expect(readDataSetUids(deflated, '1.2.840.10008.1.2.1.99')).toEqual(FOUND);
  });

  it('refuses a broken structure before the UIDs', () => {
    expect(() =>
      readDataSetUids(fromHex('08000500 5A5A 0200 4142'), '1.2.840.10008.1.2.1'),
    ).toThrow(expect.objectContaining({ code: 'DICOMNET_DATASET_MALFORMED' }));
    expect(() =>
      readDataSetUids(Uint8Array.of(0xff, 0xff, 0xff), '1.2.840.10008.1.2.1.99'),
    ).toThrow(expect.objectContaining({ code: 'DICOMNET_DATASET_MALFORMED' }));
  });
});
