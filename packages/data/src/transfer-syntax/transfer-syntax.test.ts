import { describe, expect, it } from 'vitest';
import { describeTransferSyntax, listTransferSyntaxes, TransferSyntax } from './transfer-syntax.js';

describe('describeTransferSyntax', () => {
  it('describes the native syntaxes (PS3.5 A.1, A.2, A.3, A.5)', () => {
    expect(describeTransferSyntax('1.2.840.10008.1.2')).toMatchObject({
      explicitVr: false,
      littleEndian: true,
      deflated: false,
      encapsulated: false,
      retired: false,
      known: true,
    });
    expect(describeTransferSyntax('1.2.840.10008.1.2.1')).toMatchObject({
      explicitVr: true,
      littleEndian: true,
      deflated: false,
      encapsulated: false,
    });
    expect(describeTransferSyntax('1.2.840.10008.1.2.1.99')).toMatchObject({
      explicitVr: true,
      littleEndian: true,
      deflated: true,
      encapsulated: false,
    });
    expect(describeTransferSyntax('1.2.840.10008.1.2.2')).toMatchObject({
      explicitVr: true,
      littleEndian: false,
      deflated: false,
      encapsulated: false,
      retired: true,
    });
  });

  it('describes encapsulated syntaxes as Explicit VR Little Endian', () => {
    for (const uid of [
      '1.2.840.10008.1.2.4.50',
      '1.2.840.10008.1.2.4.70',
      '1.2.840.10008.1.2.5',
      '1.2.840.10008.1.2.4.90',
      '1.2.840.10008.1.2.4.201',
      '1.2.840.10008.1.2.4.107',
      '1.2.840.10008.1.2.4.110',
    ]) {
      expect(describeTransferSyntax(uid)).toMatchObject({
        uid,
        explicitVr: true,
        littleEndian: true,
        deflated: false,
        encapsulated: true,
        known: true,
      });
    }
    expect(describeTransferSyntax('1.2.840.10008.1.2.4.57').name).toBe(
      'JPEG Lossless, Non-Hierarchical (Process 14)',
    );
  });

  it('flags retired JPEG processes and the JPIP deflate variants', () => {
    expect(describeTransferSyntax('1.2.840.10008.1.2.4.53').retired).toBe(true);
    expect(describeTransferSyntax(TransferSyntax.JpipReferencedDeflate)).toMatchObject({
      deflated: true,
      encapsulated: false,
    });
  });

  it('treats an unknown UID as encapsulated Explicit VR Little Endian', () => {
    expect(describeTransferSyntax('1.2.3.4.5')).toEqual({
      uid: '1.2.3.4.5',
      name: 'Unknown Transfer Syntax',
      explicitVr: true,
      littleEndian: true,
      deflated: false,
      encapsulated: true,
      retired: false,
      known: false,
    });
  });

  it('ignores a trailing NUL pad', () => {
    expect(describeTransferSyntax('1.2.840.10008.1.2\0').known).toBe(true);
  });

  it('lists every named constant exactly once', () => {
    const listed = listTransferSyntaxes().map((info) => info.uid);
    expect(new Set(listed).size).toBe(listed.length);
    for (const uid of Object.values(TransferSyntax)) expect(listed).toContain(uid);
  });
});
