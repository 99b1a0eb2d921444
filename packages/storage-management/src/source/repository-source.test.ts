import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAttributes, readPart10, type DataSet } from '@dicomnet/data';
import { parseInventoryScope } from '@dicomnet/repository';
import { tempDir } from '@dicomnet/test-utils';
import {
  INVENTORY_STORAGE_SOP_CLASS,
  produceInventory,
  repositorySink,
  repositorySource,
  type InventoryLevel,
  type InventoryRequestSpec,
  type ProductionCheckpoint,
} from '../index.js';
import { MemorySink, decodeInventory } from '../../test/helpers/inventory-fixtures.js';
import {
  makeRepositoryFixture,
  type RepositoryFixture,
} from '../../test/helpers/repository-fixture.js';

let dir: { path: string; remove(): Promise<void> };
let fixture: RepositoryFixture;

beforeAll(async () => {
  dir = await tempDir('repository-source-');
  fixture = await makeRepositoryFixture(dir.path, 3, 2, 2);
}, 60_000);

afterAll(async () => {
  await fixture?.repository.close();
  await dir?.remove();
});

const startedAt = new Date(Date.UTC(2026, 0, 1));

function request(level: InventoryLevel, scope?: DataSet): InventoryRequestSpec {
  const source = repositorySource(fixture.repository);
  const query = parseInventoryScope(scope, { isMatchable: (tag) => source.isMatchable(tag) });
  return { level, query, startedAt, ...(scope === undefined ? {} : { scope }) };
}

const items = (dataSet: DataSet, tag: string): DataSet[] =>
  (dataSet[tag]?.Value ?? []) as DataSet[];
const first = (dataSet: DataSet, tag: string): unknown => dataSet[tag]?.Value?.[0];

/** Every instance record of a tree held in `sink`, with its study and series UIDs. */
async function instanceRecords(
  sink: MemorySink,
  rootUid: string,
): Promise<{ study: DataSet; series: DataSet; instance: DataSet }[]> {
  const out: { study: DataSet; series: DataSet; instance: DataSet }[] = [];
  const visit = async (uid: string): Promise<void> => {
    const data = await decodeInventory(sink.stored.get(uid)!);
    for (const study of items(data, '00080423'))
      for (const series of items(study, '00080424'))
        for (const instance of items(series, '00080425')) out.push({ study, series, instance });
    for (const reference of items(data, '00080422'))
      await visit(first(reference, '00081155') as string);
  };
  await visit(rootUid);
  return out;
}

describe('repositorySource', () => {
  it('lists what the repository holds, each instance with its file and transfer syntax', async () => {
    const sink = new MemorySink();
    const root = await produceInventory({
      source: repositorySource(fixture.repository),
      sink,
      request: request('INSTANCE'),
      maxRecordsPerInstance: 7,
    });
    const records = await instanceRecords(sink, root.sopInstanceUid);
    const listed = records.map((record) => first(record.instance, '00080018') as string);
    const stored = fixture.instances.map((instance) => instance.sopInstanceUid);
    expect([...listed].sort()).toEqual([...stored].sort());
    expect(new Set(listed).size).toBe(listed.length);
    for (const { study, series, instance } of records) {
      const original = fixture.instances.find(
        (candidate) => candidate.sopInstanceUid === first(instance, '00080018'),
      )!;
      expect(first(study, '0020000D')).toBe(original.studyInstanceUid);
      expect(first(series, '0020000E')).toBe(original.seriesInstanceUid);
      expect(first(study, '00100020')).toBe(original.patientId);
      expect(first(study, '00201208')).toBe('4'); // Number of Study Related Instances
      expect(first(study, '00080405')).toBe('NO');
      expect(first(study, '0008041F')).toMatch(/^\d{14}/);
      expect(first(study, '00080404')).toMatch(/^\d{14}/);
      expect(first(instance, '00080016')).toBe(original.sopClassUid);
      expect(first(instance, '0008040E')).toBe(original.transferSyntaxUid);
      const uri = first(instance, '00080409') as string;
      expect(uri.startsWith('file:///')).toBe(true);
      expect(existsSync(fileURLToPath(uri))).toBe(true);
    }
  });

  it('applies the scope: studies match when all keys match', async () => {
    const sink = new MemorySink();
    const scope: DataSet = { '00100020': { vr: 'LO', Value: ['PID-0'] } };
    const root = await produceInventory({
      source: repositorySource(fixture.repository),
      sink,
      request: request('STUDY', scope),
    });
    const data = await decodeInventory(sink.stored.get(root.sopInstanceUid)!);
    const studies = items(data, '00080423');
    const expected = new Set(
      fixture.instances
        .filter((instance) => instance.patientId === 'PID-0')
        .map((instance) => instance.studyInstanceUid),
    );
    expect(new Set(studies.map((study) => first(study, '0020000D')))).toEqual(expected);
    expect(data['00080400']?.Value).toEqual([scope]);
  });

  it('with a RELATIONAL scope at SERIES level lists only the matching series', async () => {
    const wanted = [
      fixture.instances[0]!.seriesInstanceUid,
      fixture.instances[6]!.seriesInstanceUid,
    ];
    const scope: DataSet = {
      '0008040F': { vr: 'CS', Value: ['RELATIONAL'] },
      '00080052': { vr: 'CS', Value: ['SERIES'] },
      '0020000E': { vr: 'UI', Value: wanted },
      '00181030': { vr: 'LO', Value: ['not indexed'] },
    };
    const spec = request('INSTANCE', scope);
    expect(spec.query.ignoredKeys).toEqual(['00181030']); // 0xB010 for the SCP (KK.2.2.3)
    const sink = new MemorySink();
    const root = await produceInventory({
      source: repositorySource(fixture.repository),
      sink,
      request: spec,
    });
    const records = await instanceRecords(sink, root.sopInstanceUid);
    const expected = fixture.instances.filter((instance) =>
      wanted.includes(instance.seriesInstanceUid),
    );
    expect(records.map((record) => first(record.instance, '00080018')).sort()).toEqual(
      expected.map((instance) => instance.sopInstanceUid).sort(),
    );
    expect(new Set(records.map((record) => first(record.series, '0020000E')))).toEqual(
      new Set(wanted),
    );
  });

  it('knows which keys it can match', () => {
    const source = repositorySource(fixture.repository);
    expect(source.isMatchable('00100020')).toBe(true);
    expect(source.isMatchable('0008041F')).toBe(true);
    expect(source.isMatchable('00080405')).toBe(true);
    expect(source.isMatchable('00181030')).toBe(false); // Protocol Name: not indexed
  });

  it('resumed after a checkpoint, gives the same instances as an uninterrupted run', async () => {
    const whole = new MemorySink();
    const uninterrupted = await produceInventory({
      source: repositorySource(fixture.repository),
      sink: whole,
      request: request('SERIES'),
      maxRecordsPerInstance: 3,
    });
    const sink = new MemorySink();
    const controller = new AbortController();
    let saved: ProductionCheckpoint | undefined;
    await expect(
      produceInventory({
        source: repositorySource(fixture.repository),
        sink,
        request: request('SERIES'),
        maxRecordsPerInstance: 3,
        signal: controller.signal,
        onCheckpoint: (checkpoint) => {
          saved = checkpoint;
          controller.abort(new Error('restart'));
        },
      }),
    ).rejects.toThrow('restart');
    const resumed = await produceInventory({
      source: repositorySource(fixture.repository),
      sink,
      request: request('SERIES'),
      maxRecordsPerInstance: 3,
      resume: saved!,
    });
    expect(resumed.instances).toEqual(uninterrupted.instances);
    for (const uid of uninterrupted.instances) {
      const a = await decodeInventory(whole.stored.get(uid)!);
      const b = await decodeInventory(sink.stored.get(uid)!);
      const uids = (data: DataSet): unknown[] =>
        items(data, '00080423').map((study) => [
          first(study, '0020000D'),
          items(study, '00080424').map((series) => first(series, '0020000E')),
        ]);
      expect(uids(b)).toEqual(uids(a));
    }
  });
});

describe('repositorySink', () => {
  it('stores the inventory into the repository as Inventory Storage instances', async () => {
    const root = await produceInventory({
      source: repositorySource(fixture.repository),
      sink: repositorySink(fixture.repository),
      request: request('INSTANCE'),
      maxRecordsPerInstance: 10,
    });
    expect(root.instances.length).toBeGreaterThan(1);
    for (const uid of root.instances) {
      const stored = await fixture.repository.get(uid);
      expect(stored?.sopClassUid).toBe(INVENTORY_STORAGE_SOP_CLASS);
    }
    const file = await readPart10(await fixture.repository.read(root.sopInstanceUid));
    const data = await readAttributes(file.dataSet, ['00080018', '00080422', '00080428'], {
      transferSyntaxUid: file.meta.transferSyntaxUid,
    });
    expect(first(data, '00080018')).toBe(root.sopInstanceUid);
    expect(items(data, '00080422')).toHaveLength(root.instances.length - 1);
    expect(first(data, '00080428')).toBe(BigInt(root.totalStudyRecords));
    // The walk of patient data never lists the inventory itself (PS3.3 A.88: non-patient).
    const sink = new MemorySink();
    const again = await produceInventory({
      source: repositorySource(fixture.repository),
      sink,
      request: { ...request('INSTANCE'), startedAt: new Date(Date.UTC(2026, 0, 2)) },
    });
    expect((await instanceRecords(sink, again.sopInstanceUid)).length).toBe(
      fixture.instances.length,
    );
    const sinkOfRepository = repositorySink(fixture.repository);
    await sinkOfRepository.remove(root.sopInstanceUid);
    expect(await fixture.repository.get(root.sopInstanceUid)).toBeUndefined();
  });
});
