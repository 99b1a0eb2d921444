import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeInventoryFixture, type FixtureStudy } from '../../test/inventory-fixture.js';
import type { InventoryItem } from './inventory-records.js';
import { readInventory, readInventoryHeader } from './read-inventory.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'read-inventory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const studies: FixtureStudy[] = [
  {
    uid: '1.2.3.1',
    patientId: 'Zoë',
    series: [
      {
        uid: '1.2.3.1.1',
        modality: 'CT',
        instances: [{ uid: '1.2.3.1.1.1' }, { uid: '1.2.3.1.1.2' }],
      },
      { uid: '1.2.3.1.2', modality: 'SR', instances: [{ uid: '1.2.3.1.2.1' }] },
    ],
  },
  { uid: '1.2.3.2', series: [{ uid: '1.2.3.2.1', modality: 'MR', instances: [] }] },
];

async function collect(items: AsyncIterable<InventoryItem>): Promise<InventoryItem[]> {
  const out: InventoryItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function shape(items: readonly InventoryItem[]): string[] {
  return items.map((item) => {
    switch (item.kind) {
      case 'header':
      case 'end':
        return item.kind;
      case 'study':
        return `study ${item.studyInstanceUid}`;
      case 'series':
        return `series ${item.studyInstanceUid} ${item.seriesInstanceUid}`;
      case 'instance':
        return `instance ${item.seriesInstanceUid} ${item.sopInstanceUid}`;
    }
  });
}

describe('readInventory (PS3.3 A.88, C.38.1)', () => {
  it.each([
    ['Explicit VR Little Endian', '1.2.840.10008.1.2.1'],
    ['Implicit VR Little Endian', '1.2.840.10008.1.2'],
    ['Deflated Explicit VR Little Endian', '1.2.840.10008.1.2.1.99'],
  ])(
    'yields the header, the records in order with their parents, then the end (%s)',
    async (_, ts) => {
      const file = path.join(dir, `instance-${ts}.dcm`);
      await writeInventoryFixture(file, {
        sopInstanceUid: '9.1',
        level: 'INSTANCE',
        studies,
        transactionUid: '9.9',
        totalStudyRecords: 7,
        transferSyntaxUid: ts,
      });
      const items = await collect(readInventory(file));
      expect(shape(items)).toEqual([
        'header',
        'study 1.2.3.1',
        'series 1.2.3.1 1.2.3.1.1',
        'instance 1.2.3.1.1 1.2.3.1.1.1',
        'instance 1.2.3.1.1 1.2.3.1.1.2',
        'series 1.2.3.1 1.2.3.1.2',
        'instance 1.2.3.1.2 1.2.3.1.2.1',
        'study 1.2.3.2',
        'series 1.2.3.2 1.2.3.2.1',
        'end',
      ]);
      const header = items[0]?.kind === 'header' ? items[0].header : undefined;
      expect(header).toMatchObject({
        sopInstanceUid: '9.1',
        level: 'INSTANCE',
        contentDate: '20261205',
        purpose: 'migration check',
        complete: false,
        incorporated: [],
      });
      expect(header?.completion).toBeUndefined(); // encoded after the records
      const end = items.at(-1);
      expect(end?.kind === 'end' && end.header).toMatchObject({
        complete: true,
        completion: 'COMPLETE',
        studyRecordsInInstance: 2,
        totalStudyRecords: 7,
        transactionUid: '9.9',
        transferSyntaxUid: ts,
      });
      const study = items[1];
      // Values decoded with the instance's Specific Character Set (ISO_IR 192).
      expect(study?.kind === 'study' && study.attributes['00100020']?.Value).toEqual(['Zoë']);
      expect(study?.kind === 'study' && study.itemInventoryDateTime).toBe('20261205120000');
      expect(study?.kind === 'study' && '00080424' in study.attributes).toBe(false);
      const instance = items[3];
      expect(instance?.kind === 'instance' && instance.sopClassUid).toBe(
        '1.2.840.10008.5.1.4.1.1.7',
      );
      expect(instance?.kind === 'instance' && instance.inventory).toBe('9.1');
    },
  );

  it('reads a Readable, chunks split at every size, and a file without its preamble', async () => {
    const file = path.join(dir, 'split.dcm');
    await writeInventoryFixture(file, {
      sopInstanceUid: '9.2',
      level: 'SERIES',
      studies: studies.map((s) => ({
        ...s,
        series: (s.series ?? []).map((x) => ({ uid: x.uid })),
      })),
    });
    const bytes = new Uint8Array(await readFile(file));
    const expected = shape(await collect(readInventory(file)));
    expect(shape(await collect(readInventory(Readable.from([Buffer.from(bytes)]))))).toEqual(
      expected,
    );
    for (const size of [1, 7, 131, 500]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.byteLength; at += size)
        chunks.push(bytes.subarray(at, at + size));
      expect(shape(await collect(readInventory(chunks)))).toEqual(expected);
    }
    const bare = path.join(dir, 'bare.dcm');
    await writeFile(bare, bytes.subarray(128));
    expect(shape(await collect(readInventory(bare)))).toEqual(expected);
  });

  it('reads the references of the tree (C.38.2.3) before the records', async () => {
    const file = path.join(dir, 'root.dcm');
    await writeInventoryFixture(file, {
      sopInstanceUid: '9.3',
      level: 'STUDY',
      studies: [],
      incorporated: [{ uid: '9.4', incorporated: [{ uid: '9.5' }] }, { uid: '9.6' }],
    });
    const header = await readInventoryHeader(file);
    expect(
      header.incorporated.map((r) => [
        r.sopInstanceUid,
        r.incorporated.map((c) => c.sopInstanceUid),
      ]),
    ).toEqual([
      ['9.4', ['9.5']],
      ['9.6', []],
    ]);
  });

  it('refuses another SOP class, non-Part 10 bytes, truncation and a wrong record count', async () => {
    const other = path.join(dir, 'other.dcm');
    await writeInventoryFixture(other, {
      sopInstanceUid: '9.7',
      level: 'STUDY',
      studies: [],
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    });
    await expect(collect(readInventory(other))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_NOT_INVENTORY',
    });
    await expect(collect(readInventory([new Uint8Array(300)]))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_NOT_INVENTORY',
    });
    const file = path.join(dir, 'whole.dcm');
    await writeInventoryFixture(file, { sopInstanceUid: '9.8', level: 'INSTANCE', studies });
    const bytes = new Uint8Array(await readFile(file));
    for (const cut of [60, 200, 420, bytes.byteLength - 150, bytes.byteLength - 3]) {
      await expect(collect(readInventory([bytes.subarray(0, cut)]))).rejects.toMatchObject({
        code: 'DICOMNET_INVENTORY_TRUNCATED',
      });
    }
    const lying = path.join(dir, 'lying.dcm');
    await writeInventoryFixture(lying, {
      sopInstanceUid: '9.9',
      level: 'INSTANCE',
      studies,
      studyRecordsInInstance: 3,
    });
    await expect(collect(readInventory(lying))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_MALFORMED',
    });
    const wrongLevel = path.join(dir, 'level.dcm');
    await writeInventoryFixture(wrongLevel, { sopInstanceUid: '9.10', level: 'STUDY', studies });
    await expect(collect(readInventory(wrongLevel))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_MALFORMED',
    });
  });

  it('stops reading when the loop breaks, and on abort', async () => {
    const file = path.join(dir, 'break.dcm');
    await writeInventoryFixture(file, { sopInstanceUid: '9.11', level: 'INSTANCE', studies });
    for await (const item of readInventory(file)) if (item.kind === 'study') break;
    const controller = new AbortController();
    const reading = collect(
      (async function* () {
        for await (const item of readInventory(file, { signal: controller.signal })) {
          if (item.kind === 'study') controller.abort(new Error('stop'));
          yield item;
        }
      })(),
    );
    await expect(reading).rejects.toThrow('stop');
  });
});

describe('readInventory streams', () => {
  it('yields the first records long before the input ends, holding one study at a time', async () => {
    const file = path.join(dir, 'large.dcm');
    const count = 3000;
    await writeInventoryFixture(file, {
      sopInstanceUid: '9.20',
      level: 'INSTANCE',
      studies: (function* () {
        for (let i = 0; i < count; i += 1)
          yield {
            uid: `1.2.4.${i}`,
            series: [{ uid: `1.2.4.${i}.1`, instances: [{ uid: `1.2.4.${i}.1.1` }] }],
          };
      })(),
    });
    const bytes = new Uint8Array(await readFile(file));
    let delivered = 0;
    const chunks = (function* () {
      for (let at = 0; at < bytes.byteLength; at += 4096) {
        delivered += 1;
        yield bytes.subarray(at, at + 4096);
      }
    })();
    let deliveredAtFirstStudy = 0;
    let studiesSeen = 0;
    for await (const item of readInventory(chunks)) {
      if (item.kind !== 'study') continue;
      if (studiesSeen === 0) deliveredAtFirstStudy = delivered;
      studiesSeen += 1;
    }
    expect(studiesSeen).toBe(count);
    expect(Math.ceil(bytes.byteLength / 4096)).toBeGreaterThan(50);
    expect(deliveredAtFirstStudy).toBeLessThanOrEqual(2);
  });
});

describe('readInventory on damaged input', () => {
  it('ends every cut of an instance with a typed error, never another one', async () => {
    const file = path.join(dir, 'cut.dcm');
    await writeInventoryFixture(file, {
      sopInstanceUid: '9.30',
      level: 'INSTANCE',
      studies,
      incorporated: [{ uid: '9.31' }],
    });
    const bytes = new Uint8Array(await readFile(file));
    const codes = new Set<string>();
    // Total Number of Study Records (0008,0428, UV: 20 bytes in Explicit VR) ends the instance;
    // its Type in C.38.1 is UNCONFIRMED, so an instance cut just before it is still whole.
    const withoutTotal = bytes.byteLength - 20;
    for (let cut = 0; cut < bytes.byteLength; cut += 1) {
      const error: unknown = await collect(readInventory([bytes.subarray(0, cut)])).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      if (cut === withoutTotal && error === undefined) continue;
      expect(error, `cut at ${cut}`).toBeInstanceOf(Error);
      const code = (error as { code?: unknown }).code;
      expect(code, `cut at ${cut}: ${String(error)}`).toMatch(
        /^DICOMNET_INVENTORY_(TRUNCATED|NOT_INVENTORY|MALFORMED)$/,
      );
      codes.add(code as string);
    }
    expect(codes.has('DICOMNET_INVENTORY_TRUNCATED')).toBe(true);
  });

  it('ends corrupted bytes with a record stream or a typed error', async () => {
    const file = path.join(dir, 'corrupt.dcm');
    await writeInventoryFixture(file, { sopInstanceUid: '9.32', level: 'INSTANCE', studies });
    const bytes = new Uint8Array(await readFile(file));
    let seed = 17;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 400; round += 1) {
      const damaged = bytes.slice();
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips -= 1)
        damaged[132 + Math.floor(random() * (damaged.byteLength - 132))] = Math.floor(
          random() * 256,
        );
      const error: unknown = await collect(readInventory([damaged])).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      if (error === undefined) continue;
      expect((error as { code?: unknown }).code, `round ${round}: ${String(error)}`).toMatch(
        /^DICOMNET_INVENTORY_/,
      );
    }
  });
});
