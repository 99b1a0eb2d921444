import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from './probe-file.js';

let work: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('dicomnet-probe-');
});
afterAll(() => work.remove());

/** An Explicit VR Little Endian element. */
function element(group: number, elementNumber: number, vr: string, value: string): Buffer {
  const padded = value.length % 2 === 0 ? value : `${value}\0`;
  const header = Buffer.alloc(8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.write(vr, 4, 'latin1');
  header.writeUInt16LE(padded.length, 6);
  return Buffer.concat([header, Buffer.from(padded, 'latin1')]);
}

async function probe(name: string, bytes: Uint8Array) {
  const file = path.join(work.path, name);
  await writeFile(file, bytes);
  return probeFile(file);
}

describe('probeFile', () => {
  it('takes a bare Explicit VR data set that names its instance', async () => {
    const result = await probe(
      'bare',
      Buffer.concat([
        element(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
        element(0x0008, 0x0018, 'UI', '1.2.3.4'),
      ]),
    );
    expect(result).toMatchObject({
      kind: 'instance',
      instance: {
        layout: 'data-set',
        dataSetOffset: 0,
        transferSyntaxUid: '1.2.840.10008.1.2.1',
        sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
        sopInstanceUid: '1.2.3.4',
      },
    });
  });

  it('does not take a file for a data set because it starts with 08 00', async () => {
    const noUids = await probe('no-uids', element(0x0008, 0x0060, 'CS', 'CT'));
    expect(noUids).toMatchObject({ kind: 'not-dicom' });
    const junk = Buffer.alloc(64, 0x41);
    junk.writeUInt16LE(0x0008, 0);
    expect(await probe('junk', junk)).toMatchObject({ kind: 'not-dicom' });
  });

  it('calls text, empty and short files not DICOM', async () => {
    expect(await probe('text', Buffer.from('hello\n'.repeat(40)))).toMatchObject({
      kind: 'not-dicom',
    });
    expect(await probe('empty', new Uint8Array(0))).toMatchObject({ kind: 'not-dicom' });
    expect(await probe('short', Buffer.from('DIC'))).toMatchObject({ kind: 'not-dicom' });
  });

  it('throws for a DICM file whose meta is broken', async () => {
    const broken = Buffer.alloc(140);
    broken.write('DICM', 128, 'latin1');
    broken.write('\x02\x00\x10\x00ZZ', 132, 'latin1');
    await expect(probe('broken', broken)).rejects.toMatchObject({
      code: 'DICOMNET_PART10_MALFORMED',
    });
  });
});
