import { mkdir, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeFileMetaInformation, parsePart10Header, readAttributesSync } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateInstanceError, InstanceNotFoundError, InvalidInstanceError } from '../errors.js';
import { FileRepository } from '../file-repository.js';
import { importFolder } from '../import/index.js';
import { parseQuery } from '../match/index.js';
import { absoluteStoredPath, INSTANCES_FOLDER, storedPathOf } from '../storage-path.js';
import {
  chunked,
  makeInstances,
  readAll,
  storeRequestOf,
  type TestInstance,
} from '../../test/instances.js';
import {
  EXPLICIT_LE,
  INVENTORY_STORAGE,
  inventoryBytes,
  inventoryDataSet,
  type InventoryFixture,
} from '../../test/inventory-instance.js';

let work: { path: string; remove(): Promise<void> };
let patients: TestInstance[];
beforeAll(async () => {
  work = await tempDir('dicomnet-inventory-store-');
  patients = await makeInstances(path.join(work.path, 'patients'), 2);
}, 60_000);
afterAll(() => work.remove());

let roots = 0;
function freshRoot(): string {
  return path.join(work.path, `root-${++roots}`);
}

function request(fixture: InventoryFixture, chunkBytes?: number) {
  const bytes = inventoryBytes(fixture);
  return {
    bytes,
    request: {
      dataSet: chunkBytes === undefined ? bytes : chunked(bytes, chunkBytes),
      sopClassUid: INVENTORY_STORAGE,
      sopInstanceUid: fixture.sopInstanceUid,
      transferSyntaxUid: EXPLICIT_LE,
      sourceAeTitle: 'PRODUCER',
    },
  };
}

async function allInventories(repo: FileRepository) {
  const found = [];
  for await (const each of repo.matchInventories(parseQuery({}, { level: 'forbidden' })))
    found.push(each);
  return found;
}

describe('Inventory Storage instances in the repository (PS3.4 GG.6.6, PS3.3 A.88)', () => {
  it('stores one without Study or Series Instance UIDs and reads it back byte for byte', async () => {
    const repo = await FileRepository.open({ root: freshRoot() });
    try {
      const uid = '1.2.826.0.1.3680043.10.9.1';
      const { bytes, request: req } = request(
        {
          sopInstanceUid: uid,
          transactionUid: '1.2.826.0.1.3680043.10.9.99',
          studies: ['1.2.3', '1.2.4'],
        },
        700,
      );
      const result = await repo.store(req);
      expect(result.outcome).toBe('stored');
      expect(result.instance).toMatchObject({
        sopInstanceUid: uid,
        sopClassUid: INVENTORY_STORAGE,
        transferSyntaxUid: EXPLICIT_LE,
        studyInstanceUid: '',
        seriesInstanceUid: '',
        removed: false,
      });
      expect(await repo.get(uid)).toEqual(result.instance);
      const file = await readAll(await repo.read(uid));
      expect(result.instance.sizeBytes).toBe(file.byteLength);
      const parsed = parsePart10Header(file, true);
      if (!('header' in parsed)) throw new Error('no header');
      expect(parsed.header.meta).toMatchObject({
        mediaStorageSopClassUid: INVENTORY_STORAGE,
        mediaStorageSopInstanceUid: uid,
        sourceApplicationEntityTitle: 'PRODUCER',
      });
      expect(Buffer.from(file.subarray(parsed.header.dataSetOffset))).toEqual(Buffer.from(bytes));
      // Never a record of a patient-level match.
      const images = [];
      for await (const record of repo.match({
        level: 'IMAGE',
        conditions: [],
        returnKeys: [],
        ignoredKeys: [],
      }))
        images.push(record);
      expect(images).toEqual([]);
      const [indexed, ...rest] = await allInventories(repo);
      expect(rest).toEqual([]);
      expect(indexed?.attributes).toMatchObject({
        '00080018': [uid],
        '00080023': ['20261205'],
        '00080033': ['120000'],
        '00080401': ['test inventory'],
        '00080403': ['STUDY'],
        '00080426': ['COMPLETE'],
        '00080427': ['2'],
        '00080428': ['2'],
        '00081195': ['1.2.826.0.1.3680043.10.9.99'],
        '00080400': [{ '00080020': ['20200101-20201231'], '00080061': ['CT'] }],
      });
      expect(indexed?.dataSet['00080400']).toEqual({
        vr: 'SQ',
        Value: [
          {
            '00080020': { vr: 'DA', Value: ['20200101-20201231'] },
            '00080061': { vr: 'CS', Value: ['CT'] },
          },
        ],
      });
      expect(indexed?.dataSet['00080428']).toEqual({ vr: 'UV', Value: [2n] });
    } finally {
      await repo.close();
    }
  });

  it('keeps patient instances and Inventory instances apart, and deletes either', async () => {
    const repo = await FileRepository.open({ root: freshRoot() });
    try {
      const patient = patients[0]!;
      await repo.store(storeRequestOf(patient));
      const uid = '1.2.826.0.1.3680043.10.9.2';
      await repo.store(request({ sopInstanceUid: uid }).request);
      expect((await repo.get(patient.sopInstanceUid))?.studyInstanceUid).toBe(
        patient.studyInstanceUid,
      );
      expect(await repo.delete(uid)).toBe(true);
      expect(await repo.get(uid)).toBeUndefined();
      await expect(repo.read(uid)).rejects.toBeInstanceOf(InstanceNotFoundError);
      expect(await allInventories(repo)).toEqual([]);
      expect(await repo.delete(uid)).toBe(false);
      expect(await repo.get(patient.sopInstanceUid)).toBeDefined();
      const folder = path.dirname(
        absoluteStoredPath(path.join(repo.root, INSTANCES_FOLDER), storedPathOf(uid)),
      );
      expect(await readdir(folder).catch(() => [])).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('lets a patient instance replace an Inventory instance of the same UID', async () => {
    const repo = await FileRepository.open({ root: freshRoot(), fsync: false });
    try {
      const patient = patients[1]!;
      await repo.store(request({ sopInstanceUid: patient.sopInstanceUid }).request);
      expect(await allInventories(repo)).toHaveLength(1);
      await repo.store(storeRequestOf(patient));
      expect(await allInventories(repo)).toEqual([]);
      expect((await repo.get(patient.sopInstanceUid))?.studyInstanceUid).toBe(
        patient.studyInstanceUid,
      );
    } finally {
      await repo.close();
    }
  });

  it('applies the duplicate policy: replace keeps the first received date-time, keep, reject', async () => {
    const root = freshRoot();
    const uid = '1.2.826.0.1.3680043.10.9.3';
    let repo = await FileRepository.open({ root });
    try {
      const first = await repo.store(
        request({ sopInstanceUid: uid, completion: 'PARTIAL' }).request,
      );
      const replaced = await repo.store(
        request({ sopInstanceUid: uid, completion: 'COMPLETE' }).request,
      );
      expect(replaced.outcome).toBe('replaced');
      expect(replaced.instance.receivedAt).toBe(first.instance.receivedAt);
      const [row] = await allInventories(repo);
      expect(row?.attributes['00080426']).toEqual(['COMPLETE']);
      const kept = await repo.store(
        request({ sopInstanceUid: uid, completion: 'PARTIAL' }, 100).request,
        {
          duplicate: 'keep',
        },
      );
      expect(kept.outcome).toBe('kept');
      await expect(
        repo.store(request({ sopInstanceUid: uid }).request, { duplicate: 'reject' }),
      ).rejects.toBeInstanceOf(DuplicateInstanceError);
      expect((await allInventories(repo))[0]?.attributes['00080426']).toEqual(['COMPLETE']);
    } finally {
      await repo.close();
    }
    repo = await FileRepository.open({ root });
    try {
      expect((await allInventories(repo)).map((each) => each.sopInstanceUid)).toEqual([uid]);
    } finally {
      await repo.close();
    }
  });

  it('refuses an Inventory request whose data set is another instance (PS3.4 B.2.3), storing nothing', async () => {
    const repo = await FileRepository.open({ root: freshRoot() });
    try {
      const { request: req } = request({ sopInstanceUid: '1.2.826.0.1.3680043.10.9.4' });
      await expect(
        repo.store({ ...req, sopInstanceUid: '1.2.826.0.1.3680043.10.9.5' }),
      ).rejects.toMatchObject({ reason: 'sop-instance-mismatch' });
      const patient = patients[1]!;
      const error: unknown = await repo
        .store({ ...storeRequestOf(patient), sopClassUid: INVENTORY_STORAGE })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidInstanceError);
      expect(await repo.get('1.2.826.0.1.3680043.10.9.5')).toBeUndefined();
      expect(await repo.get(patient.sopInstanceUid)).toBeUndefined();
      expect(await readdir(path.join(repo.root, 'incoming'))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('indexes the keys its writer hands it (inventoryKeys) as it indexes the keys it reads back', async () => {
    const fixtures: InventoryFixture[] = [
      {
        sopInstanceUid: '1.2.826.0.1.3680043.10.9.41',
        transactionUid: '1.2.826.0.1.3680043.10.9.99',
        purpose: 'Müller, 北京 — the keys in UTF-8',
        level: 'INSTANCE',
        completion: 'PARTIAL',
        studies: ['1.2.3', '1.2.4', '1.2.5'],
        total: 12n,
      },
      { sopInstanceUid: '1.2.826.0.1.3680043.10.9.42', scope: [], purpose: '' },
    ];
    const read = await FileRepository.open({ root: freshRoot() });
    const given = await FileRepository.open({ root: freshRoot() });
    try {
      for (const fixture of fixtures) {
        const { request: req } = request(fixture, 900);
        const { '00080423': records, ...keys } = inventoryDataSet(fixture);
        void records;
        await read.store(req);
        const { request: same } = request(fixture, 900);
        await given.store(same, { inventoryKeys: keys });
      }
      const withoutCursor = (found: Awaited<ReturnType<typeof allInventories>>) =>
        found.map(({ attributes, dataSet, sopInstanceUid }) => ({
          attributes,
          dataSet,
          sopInstanceUid,
        }));
      const indexed = withoutCursor(await allInventories(read));
      expect(indexed).toHaveLength(2);
      expect(indexed[0]?.attributes['00080401']).toEqual(['Müller, 北京 — the keys in UTF-8']);
      expect(withoutCursor(await allInventories(given))).toEqual(indexed);
      for (const { sopInstanceUid } of fixtures) {
        const { receivedAt, updatedAt, ...rest } = (await given.get(sopInstanceUid))!;
        void receivedAt;
        void updatedAt;
        expect(await read.get(sopInstanceUid)).toMatchObject(rest);
      }
    } finally {
      await read.close();
      await given.close();
    }
  });

  it('refuses inventoryKeys of another instance or class, storing nothing', async () => {
    const repo = await FileRepository.open({ root: freshRoot() });
    try {
      const fixture = { sopInstanceUid: '1.2.826.0.1.3680043.10.9.43' };
      const keys = inventoryDataSet(fixture);
      for (const [changed, reason] of [
        [
          { '00080018': { vr: 'UI', Value: ['1.2.826.0.1.3680043.10.9.44'] } },
          'sop-instance-mismatch',
        ],
        [{ '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] } }, 'sop-class-mismatch'],
        [{ '00080018': { vr: 'UI', Value: ['not a uid'] } }, 'malformed-uid'],
      ] as const) {
        await expect(
          repo.store(request(fixture).request, { inventoryKeys: { ...keys, ...changed } }),
        ).rejects.toMatchObject({ reason });
      }
      expect(await repo.get(fixture.sopInstanceUid)).toBeUndefined();
      expect(await readdir(path.join(repo.root, 'incoming'))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('recovery indexes an Inventory file without a row and drops a row without a file', async () => {
    const root = freshRoot();
    const kept = '1.2.826.0.1.3680043.10.9.6';
    const lost = '1.2.826.0.1.3680043.10.9.7';
    let repo = await FileRepository.open({ root });
    await repo.store(request({ sopInstanceUid: kept, purpose: 'kept' }).request);
    await repo.store(request({ sopInstanceUid: lost }).request);
    await repo.store(storeRequestOf(patients[0]!));
    await repo.close();
    // The index loses the kept one's row (as a power loss may: synchronous=NORMAL), and the other
    // one's file is gone (a delete that died between its steps).
    await rm(path.join(root, 'index.sqlite'));
    await rm(path.join(root, 'index.sqlite-wal'), { force: true });
    await rm(path.join(root, 'index.sqlite-shm'), { force: true });
    repo = await FileRepository.open({ root });
    await repo.store(request({ sopInstanceUid: lost }).request);
    await repo.close();
    await unlink(absoluteStoredPath(path.join(root, INSTANCES_FOLDER), storedPathOf(lost)));
    repo = await FileRepository.open({ root, recovery: 'full' });
    try {
      expect(repo.recovery).toMatchObject({
        full: true,
        filesChecked: 2,
        rowsDropped: 1,
        unindexable: [],
      });
      expect(await repo.get(lost)).toBeUndefined();
      const [row, ...rest] = await allInventories(repo);
      expect(rest).toEqual([]);
      expect(row?.attributes['00080401']).toEqual(['kept']);
      expect((await repo.get(patients[0]!.sopInstanceUid))?.studyInstanceUid).toBe(
        patients[0]!.studyInstanceUid,
      );
      const file = await readAll(await repo.read(kept));
      const parsed = parsePart10Header(file, true);
      if (!('header' in parsed)) throw new Error('no header');
      const read = readAttributesSync(file.subarray(parsed.header.dataSetOffset), [0x00080018], {
        transferSyntaxUid: EXPLICIT_LE,
      });
      expect(read['00080018']?.Value).toEqual([kept]);
    } finally {
      await repo.close();
    }
  });

  it('matches Inventory keys (C.2.2.2) and resumes after a cursor', async () => {
    const repo = await FileRepository.open({ root: freshRoot() });
    try {
      const uids = [
        '1.2.826.0.1.3680043.10.9.11',
        '1.2.826.0.1.3680043.10.9.12',
        '1.2.826.0.1.3680043.10.9.13',
      ];
      await repo.store(
        request({ sopInstanceUid: uids[0]!, contentDate: '20261101', level: 'STUDY' }).request,
      );
      await repo.store(
        request({ sopInstanceUid: uids[1]!, contentDate: '20261201', level: 'SERIES' }).request,
      );
      await repo.store(
        request({
          sopInstanceUid: uids[2]!,
          contentDate: '20261202',
          level: 'SERIES',
          scope: [{ '00080061': { vr: 'CS', Value: ['MR'] } }],
        }).request,
      );
      const find = async (identifier: Parameters<typeof parseQuery>[0], after?: string) => {
        const found = [];
        for await (const each of repo.matchInventories(
          parseQuery(identifier, { level: 'forbidden' }),
          {
            pageSize: 1,
            ...(after === undefined ? {} : { after }),
          },
        ))
          found.push(each);
        return found;
      };
      expect(
        (await find({ '00080023': { vr: 'DA', Value: ['20261201-'] } })).map(
          (m) => m.sopInstanceUid,
        ),
      ).toEqual(uids.slice(1));
      expect(
        (await find({ '00080403': { vr: 'CS', Value: ['STUDY'] } })).map((m) => m.sopInstanceUid),
      ).toEqual([uids[0]]);
      expect(
        (
          await find({
            '00080400': { vr: 'SQ', Value: [{ '00080061': { vr: 'CS', Value: ['MR'] } }] },
          })
        ).map((m) => m.sopInstanceUid),
      ).toEqual([uids[2]]);
      // Narrowed in SQL by the UID list, a page of one row at a time.
      expect(
        (await find({ '00080018': { vr: 'UI', Value: [uids[2]!, uids[0]!, '9.9.9'] } })).map(
          (m) => m.sopInstanceUid,
        ),
      ).toEqual([uids[0], uids[2]]);
      const all = await find({});
      expect((await find({}, all[0]!.cursor)).map((m) => m.sopInstanceUid)).toEqual(uids.slice(1));
      const set = await repo.inventoriesOf(
        parseQuery(
          { '00080018': { vr: 'UI', Value: [uids[0]!, uids[2]!] } },
          { level: 'forbidden' },
        ),
      );
      expect(set.total).toBe(2);
      const sent = [];
      for await (const reference of set.instances) sent.push(reference.sopInstanceUid);
      expect(sent).toEqual([uids[0], uids[2]]);
    } finally {
      await repo.close();
    }
  });

  it('importFolder indexes Inventory files (with and without preamble) in the Inventory table', async () => {
    const dir = path.join(work.path, 'import-source');
    await mkdir(dir, { recursive: true });
    const uids = ['1.2.826.0.1.3680043.10.9.21', '1.2.826.0.1.3680043.10.9.22'];
    for (const [i, uid] of uids.entries()) {
      const header = encodeFileMetaInformation({
        mediaStorageSopClassUid: INVENTORY_STORAGE,
        mediaStorageSopInstanceUid: uid,
        transferSyntaxUid: EXPLICIT_LE,
      });
      const file = Buffer.concat([header, inventoryBytes({ sopInstanceUid: uid })]);
      await writeFile(path.join(dir, `inv-${i}.dcm`), i === 0 ? file : file.subarray(128));
    }
    const repo = await FileRepository.open({ root: freshRoot(), fsync: false });
    try {
      const kinds: string[] = [];
      for await (const event of importFolder(repo, dir)) kinds.push(event.kind);
      expect(kinds.filter((kind) => kind === 'imported')).toHaveLength(2);
      expect((await allInventories(repo)).map((each) => each.sopInstanceUid)).toEqual(uids);
      expect((await repo.get(uids[1]!))?.studyInstanceUid).toBe('');
    } finally {
      await repo.close();
    }
  });

  it('indexes a Deflated Inventory instance (PS3.5 A.5), as a producer may write a large one', async () => {
    const deflated = '1.2.840.10008.1.2.1.99';
    const uid = '1.2.826.0.1.3680043.10.9.31';
    const studies = Array.from({ length: 2000 }, (_, i) => `1.2.826.0.1.3680043.10.9.31.${i}`);
    const bytes = inventoryBytes(
      { sopInstanceUid: uid, studies, purpose: 'deflated' },
      false,
      deflated,
    );
    const repo = await FileRepository.open({ root: freshRoot(), fsync: false });
    try {
      const result = await repo.store({
        dataSet: chunked(bytes, 4096),
        sopClassUid: INVENTORY_STORAGE,
        sopInstanceUid: uid,
        transferSyntaxUid: deflated,
      });
      expect(result.instance).toMatchObject({ transferSyntaxUid: deflated, studyInstanceUid: '' });
      const [row] = await allInventories(repo);
      expect(row?.attributes).toMatchObject({
        '00080401': ['deflated'],
        '00080427': ['2000'],
        '00080428': ['2000'],
      });
      const file = await readAll(await repo.read(uid));
      const parsed = parsePart10Header(file, true);
      if (!('header' in parsed)) throw new Error('no header');
      expect(Buffer.from(file.subarray(parsed.header.dataSetOffset))).toEqual(Buffer.from(bytes));
    } finally {
      await repo.close();
    }
  });

  it('replaces an Inventory instance at a legacy two-level path in place', async () => {
    const root = freshRoot();
    const uid = '1.2.826.0.1.3680043.10.9.41';
    const header = encodeFileMetaInformation({
      mediaStorageSopClassUid: INVENTORY_STORAGE,
      mediaStorageSopInstanceUid: uid,
      transferSyntaxUid: EXPLICIT_LE,
    });
    await (await FileRepository.open({ root })).close();
    // A file of the first layout (ab/cd/<hash>.dcm), found by a full recovery pass.
    const hash = path.posix.basename(storedPathOf(uid), '.dcm');
    const legacyFile = path.join(
      root,
      INSTANCES_FOLDER,
      hash.slice(0, 2),
      hash.slice(2, 4),
      `${hash}.dcm`,
    );
    await mkdir(path.dirname(legacyFile), { recursive: true });
    await writeFile(
      legacyFile,
      Buffer.concat([header, inventoryBytes({ sopInstanceUid: uid, purpose: 'old' })]),
    );
    let repo = await FileRepository.open({ root, recovery: 'full' });
    try {
      expect(repo.recovery).toMatchObject({ filesIndexed: 1, unindexable: [] });
      const replaced = await repo.store(request({ sopInstanceUid: uid, purpose: 'new' }).request);
      expect(replaced.outcome).toBe('replaced');
      await expect(
        stat(absoluteStoredPath(path.join(root, INSTANCES_FOLDER), storedPathOf(uid))),
      ).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await repo.close();
    }
    repo = await FileRepository.open({ root, recovery: 'full' });
    try {
      expect(repo.recovery).toMatchObject({ filesChecked: 1, filesIndexed: 0, unindexable: [] });
      expect((await allInventories(repo))[0]?.attributes['00080401']).toEqual(['new']);
      expect((await repo.get(uid))?.sizeBytes).toBe((await stat(legacyFile)).size);
    } finally {
      await repo.close();
    }
  });
});
