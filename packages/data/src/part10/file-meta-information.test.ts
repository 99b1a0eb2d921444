import { describe, expect, it } from 'vitest';
import { asciiHex, fromHex, toHex } from '@dicomnet/test-utils';
import { fixture } from '../../test/contract/data-set-fixtures.js';
import {
  encodeFileMetaInformation,
  type FileMetaInformationInput,
} from './file-meta-information.js';
import { readPart10Header } from './read-part10.js';

const PREAMBLE = '00'.repeat(128);

describe('encodeFileMetaInformation', () => {
  it('writes the PS3.10 Table 7.1-1 layout with dicomnet defaults', () => {
    const bytes = encodeFileMetaInformation({
      mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      mediaStorageSopInstanceUid: '1.2.3.4',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    });
    const expected = fromHex(`
      ${PREAMBLE}                        # preamble, all zero
      4449434D                           # "DICM"
      02000000 554C 0400 A4000000        # (0002,0000) UL 164: bytes of the elements below
      02000100 4F42 0000 02000000 0001   # (0002,0001) OB 00 01
      02000200 5549 1A00 ${asciiHex('1.2.840.10008.5.1.4.1.1.7', 26, 0)}
      02000300 5549 0800 ${asciiHex('1.2.3.4', 8, 0)}
      02001000 5549 1400 ${asciiHex('1.2.840.10008.1.2.1', 20, 0)}
      02001200 5549 2C00 ${asciiHex('2.25.73652781638855999625116983996724504517', 44, 0)}
      02001300 5348 0C00 ${asciiHex('DICOMNET_0_1')}`);
    expect(toHex(bytes)).toBe(toHex(expected));
  });

  it('writes the header of a DCMTK file byte for byte', () => {
    const file = fixture('part10-explicit.dcm');
    const bytes = encodeFileMetaInformation({
      mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      mediaStorageSopInstanceUid: '1.2.826.0.1.3680043.8.498.1.1',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      implementationClassUid: '1.2.276.0.7230010.3.0.3.6.7',
      implementationVersionName: 'OFFIS_DCMTK_367',
    });
    expect(toHex(bytes)).toBe(toHex(file.subarray(0, 318))); // 132 + 12 + group length 174
  });

  it('pads AE titles with a space and keeps optional elements in tag order', () => {
    const meta: FileMetaInformationInput = {
      mediaStorageSopClassUid: '1.2',
      mediaStorageSopInstanceUid: '1.2.3',
      transferSyntaxUid: '1.2.840.10008.1.2',
      sourceApplicationEntityTitle: 'SRC',
      sendingApplicationEntityTitle: 'SENDER',
      receivingApplicationEntityTitle: 'DICOMNET',
      privateInformationCreatorUid: '1.2.3.4.5',
      privateInformation: Uint8Array.of(1, 2, 3),
      otherElements: [
        { tag: 0x00020026, vr: 'UR', value: new TextEncoder().encode('dicom://h:104 ') },
      ],
    };
    const bytes = encodeFileMetaInformation(meta);
    const header = readPart10Header(bytes);
    expect(header.dataSetOffset).toBe(bytes.byteLength);
    expect(header.meta).toEqual({
      fileMetaInformationVersion: Uint8Array.of(0, 1),
      mediaStorageSopClassUid: '1.2',
      mediaStorageSopInstanceUid: '1.2.3',
      transferSyntaxUid: '1.2.840.10008.1.2',
      implementationClassUid: '2.25.73652781638855999625116983996724504517',
      implementationVersionName: 'DICOMNET_0_1',
      sourceApplicationEntityTitle: 'SRC',
      sendingApplicationEntityTitle: 'SENDER',
      receivingApplicationEntityTitle: 'DICOMNET',
      privateInformationCreatorUid: '1.2.3.4.5',
      privateInformation: Uint8Array.of(1, 2, 3, 0),
      otherElements: [
        { tag: 0x00020026, vr: 'UR', value: new TextEncoder().encode('dicom://h:104 ') },
      ],
    });
    // (0002,0016) AE "SRC" + space, after (0002,0013) and before (0002,0017).
    expect(toHex(bytes)).toContain(`02001600${asciiHex('AE')}0400${asciiHex('SRC ')}02001700`);
    // (0002,0026) UR has the long form: 2 reserved bytes and a 32-bit length.
    expect(toHex(bytes)).toContain(`02002600${asciiHex('UR')}00000e000000`);
  });

  it('sorts other elements in among the named ones', () => {
    const bytes = encodeFileMetaInformation({
      mediaStorageSopClassUid: '1.2',
      mediaStorageSopInstanceUid: '1.3',
      transferSyntaxUid: '1.2.840.10008.1.2',
      privateInformationCreatorUid: '1.4',
      otherElements: [
        { tag: 0x00020031, vr: 'OB', value: Uint8Array.of(7, 7) },
        { tag: 0x00020026, vr: 'UR', value: new TextEncoder().encode('dicom://h:104 ') },
      ],
    });
    const hex = toHex(bytes);
    const at = (tag: string): number => hex.indexOf(tag);
    // (0002,0013) < (0002,0026) < (0002,0031) < (0002,0100), whatever order they were given in.
    expect(at(`02001300${asciiHex('SH')}`)).toBeLessThan(at(`02002600${asciiHex('UR')}`));
    expect(at(`02002600${asciiHex('UR')}`)).toBeLessThan(at(`02003100${asciiHex('OB')}`));
    expect(at(`02003100${asciiHex('OB')}`)).toBeLessThan(at(`02000001${asciiHex('UI')}`));
    expect(readPart10Header(bytes).dataSetOffset).toBe(bytes.byteLength);
  });

  it('writes no version name of its own for another implementation class', () => {
    const header = readPart10Header(
      encodeFileMetaInformation({
        mediaStorageSopClassUid: '1.2',
        mediaStorageSopInstanceUid: '1.3',
        transferSyntaxUid: '1.2.840.10008.1.2',
        implementationClassUid: '1.9',
      }),
    );
    expect(header.meta.implementationVersionName).toBeUndefined();
  });

  it.each([
    [{ mediaStorageSopInstanceUid: '1.2.a' }, 'mediaStorageSopInstanceUid'],
    [{ transferSyntaxUid: '' }, 'transferSyntaxUid'],
    [{ mediaStorageSopClassUid: '1.'.repeat(33) }, 'mediaStorageSopClassUid'],
    [{ sourceApplicationEntityTitle: 'SEVENTEEN_LETTERS' }, 'sourceApplicationEntityTitle'],
    [{ implementationVersionName: 'back\\slash' }, 'implementationVersionName'],
    [{ privateInformation: Uint8Array.of(1) }, 'privateInformation'],
    [{ fileMetaInformationVersion: Uint8Array.of(1) }, 'fileMetaInformationVersion'],
    [
      { otherElements: [{ tag: 0x00020010, vr: 'UI', value: new Uint8Array(2) }] },
      'otherElements[0x00020010]',
    ],
    [
      { otherElements: [{ tag: 0x00080016, vr: 'UI', value: new Uint8Array(2) }] },
      'otherElements[0x00080016]',
    ],
    [
      { otherElements: [{ tag: 0x00020026, vr: 'UR', value: new Uint8Array(3) }] },
      'otherElements[0x00020026]',
    ],
  ] as const)('refuses %o', (override, field) => {
    const meta = {
      mediaStorageSopClassUid: '1.2',
      mediaStorageSopInstanceUid: '1.3',
      transferSyntaxUid: '1.2.840.10008.1.2',
      ...override,
    };
    expect(() => encodeFileMetaInformation(meta)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_INVALID_META', field }),
    );
  });
});
