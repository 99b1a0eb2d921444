import { describe, expect, it } from 'vitest';
import {
  dataSetTokens,
  readAttributes,
  TransferSyntax,
  writeElementsSync,
  type DataSet,
} from '@dicomnet/data';
import {
  INVENTORY_STORAGE_SOP_CLASS,
  finishInventory,
  produceInventory,
  type InventoryLevel,
  type InventoryRequestSpec,
  type ProduceOptions,
  type ProductionCheckpoint,
} from '../index.js';
import {
  MemorySink,
  arraySource,
  decodeInventory,
  expectedRecords,
  flatRecords,
  makeStudies,
  treeRecords,
} from '../../test/helpers/inventory-fixtures.js';

const startedAt = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6));

function request(
  level: InventoryLevel,
  extra: { -readonly [K in keyof InventoryRequestSpec]?: InventoryRequestSpec[K] | undefined } = {},
): InventoryRequestSpec {
  const spec: Record<string, unknown> = {
    level,
    query: { conditions: [], returnKeys: [], ignoredKeys: [] },
    startedAt,
    transactionUid: '1.2.826.0.1.3680043.10.1.17',
    ...extra,
  };
  // An explicit undefined leaves the attribute out.
  for (const key of Object.keys(spec)) if (spec[key] === undefined) delete spec[key];
  return spec as unknown as InventoryRequestSpec;
}

const value = (dataSet: DataSet, tag: string): unknown => dataSet[tag]?.Value?.[0];

/** Produces until `leaves` leaves are checkpointed, then aborts: the checkpoint it stopped at. */
async function stopAtCheckpoint(
  options: Omit<ProduceOptions, 'signal' | 'onCheckpoint'>,
  leaves: number,
): Promise<ProductionCheckpoint> {
  const controller = new AbortController();
  let saved: ProductionCheckpoint | undefined;
  await expect(
    produceInventory({
      ...options,
      signal: controller.signal,
      onCheckpoint: (checkpoint) => {
        saved = checkpoint;
        if (checkpoint.leaves.length === leaves) controller.abort(new Error('stopped'));
      },
    }),
  ).rejects.toThrow('stopped');
  expect(saved?.leaves).toHaveLength(leaves);
  return saved!;
}

/** Records of the tree with the repeated study/series items of split studies merged. */
const distinct = (records: readonly string[]): string[] => [...new Set(records)];

describe('produceInventory', () => {
  it('writes a small inventory as one instance, its own root, with the C.38.1 header', async () => {
    const studies = makeStudies(2, 2, 2);
    const sink = new MemorySink();
    const root = await produceInventory({
      source: arraySource(studies),
      sink,
      request: request('INSTANCE', { purpose: 'migration check' }),
    });
    expect(root.instances).toEqual([root.sopInstanceUid]);
    expect(root.sopClassUid).toBe(INVENTORY_STORAGE_SOP_CLASS);
    expect(root.totalStudyRecords).toBe(2);
    expect(root.completion).toBe('COMPLETE');
    const data = await decodeInventory(sink.stored.get(root.sopInstanceUid)!);
    expect(value(data, '00080016')).toBe(INVENTORY_STORAGE_SOP_CLASS);
    expect(value(data, '00080018')).toBe(root.sopInstanceUid);
    expect(value(data, '00080023')).toBe('20250102');
    expect(value(data, '00080033')).toBe('030405.006');
    expect(value(data, '00080070')).toBe('dicomnet');
    expect(data['00080400']).toEqual({ vr: 'SQ' }); // universal: zero length
    expect(value(data, '00080401')).toBe('migration check');
    expect(value(data, '00080403')).toBe('INSTANCE');
    expect(data['00080422']).toBeUndefined();
    expect(value(data, '00080426')).toBe('COMPLETE');
    expect(value(data, '00080427')).toBe(2);
    expect(value(data, '00080428')).toBe(2n);
    expect(value(data, '00081195')).toBe('1.2.826.0.1.3680043.10.1.17');
    expect(data['00080005']).toBeUndefined(); // all ASCII
    expect(flatRecords(data)).toEqual(expectedRecords(studies, 'INSTANCE'));
    const study = (data['00080423']!.Value as DataSet[])[0]!;
    const itemDateTime = value(study, '00080404') as string;
    expect(itemDateTime).toMatch(/^\d{14}\.\d{3}\+0000$/);
    expect(itemDateTime >= '20250102030405.006').toBe(true);
  });

  it('writes the scope as applied, an empty purpose, no Transaction UID when none was given', async () => {
    const sink = new MemorySink();
    const scope: DataSet = { '00100020': { vr: 'LO', Value: ['PID1'] } };
    const root = await produceInventory({
      source: arraySource([]),
      sink,
      request: request('STUDY', { scope, transactionUid: undefined }),
    });
    const data = await decodeInventory(sink.stored.get(root.sopInstanceUid)!);
    expect(data['00080400']?.Value).toEqual([scope]);
    expect(data['00080401']).toEqual({ vr: 'LT' });
    expect(data['00081195']).toBeUndefined();
    expect(value(data, '00080427')).toBe(0);
    expect(data['00080423']).toEqual({ vr: 'SQ' });
  });

  it('says ISO_IR 192 when a value is not ASCII', async () => {
    const studies = [{ uid: '1.2.9', patientName: 'Müller^Jürgen', series: [] }];
    const sink = new MemorySink();
    const root = await produceInventory({
      source: arraySource(studies),
      sink,
      request: request('STUDY'),
    });
    const data = await decodeInventory(sink.stored.get(root.sopInstanceUid)!);
    expect(data['00080005']?.Value).toEqual(['ISO_IR 192']);
    const study = (data['00080423']!.Value as DataSet[])[0]!;
    expect(study['00100010']?.Value).toEqual([{ Alphabetic: 'Müller^Jürgen' }]);
  });

  for (const level of ['STUDY', 'SERIES', 'INSTANCE'] as const) {
    for (const max of [1, 2, 10]) {
      it(`splits a ${level} inventory into leaves of at most ${max} records`, async () => {
        const studies = makeStudies(4, 2, 3);
        const sink = new MemorySink();
        const checkpoints: ProductionCheckpoint[] = [];
        const root = await produceInventory({
          source: arraySource(studies),
          sink,
          request: request(level),
          maxRecordsPerInstance: max,
          onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
        });
        const depth = { STUDY: 1, SERIES: 2, INSTANCE: 3 }[level];
        const total = expectedRecords(studies, level).length;
        if (total <= max) {
          expect(root.instances).toEqual([root.sopInstanceUid]);
          return;
        }
        const leaves = root.instances.slice(0, -1);
        expect(leaves.length).toBeGreaterThan(1);
        let studyRecords = 0;
        for (const uid of leaves) {
          const leaf = await decodeInventory(sink.stored.get(uid)!);
          const records = flatRecords(leaf);
          expect(records.length).toBeLessThanOrEqual(Math.max(max, depth));
          expect(value(leaf, '00080403')).toBe(level); // C.38.1.1.5: the same level
          expect(value(leaf, '00080426')).toBe('PARTIAL');
          expect(value(leaf, '00080023')).toBe('20250102');
          studyRecords += value(leaf, '00080427') as number;
        }
        expect(distinct(await treeRecords(sink, root.sopInstanceUid))).toEqual(
          expectedRecords(studies, level),
        );
        const rootData = await decodeInventory(sink.stored.get(root.sopInstanceUid)!);
        expect(value(rootData, '00080428')).toBe(BigInt(studyRecords));
        expect(root.totalStudyRecords).toBe(studyRecords);
        expect(value(rootData, '00080426')).toBe('COMPLETE');
        expect(checkpoints.at(-1)?.leaves.map((leaf) => leaf.sopInstanceUid)).toEqual(leaves);
        expect(checkpoints.at(-1)?.studyRecords).toBe(studyRecords);
      });
    }
  }

  it('closes leaves at study boundaries when studies fit', async () => {
    const studies = makeStudies(5, 1, 2); // 4 records a study at INSTANCE level
    const sink = new MemorySink();
    const root = await produceInventory({
      source: arraySource(studies),
      sink,
      request: request('INSTANCE'),
      maxRecordsPerInstance: 10,
    });
    const leafStudies: number[] = [];
    for (const uid of root.instances.slice(0, -1)) {
      const leaf = await decodeInventory(sink.stored.get(uid)!);
      leafStudies.push(value(leaf, '00080427') as number);
      expect(new Set(flatRecords(leaf)).size).toBe(flatRecords(leaf).length); // no split study
    }
    expect(leafStudies).toEqual([2, 2, 1]);
  });

  it('splits a study bigger than the limit at series and instance boundaries', async () => {
    const studies = makeStudies(1, 3, 5); // 1 + 3 + 15 = 19 records
    const sink = new MemorySink();
    const root = await produceInventory({
      source: arraySource(studies),
      sink,
      request: request('INSTANCE'),
      maxRecordsPerInstance: 6,
    });
    const leaves = root.instances.slice(0, -1);
    expect(leaves.length).toBeGreaterThanOrEqual(4);
    for (const uid of leaves) {
      const leaf = await decodeInventory(sink.stored.get(uid)!);
      const records = flatRecords(leaf);
      expect(records.length).toBeLessThanOrEqual(6);
      expect(records[0]).toBe('study:1.2.3.1'); // each part repeats the study
      expect(records[1]).toMatch(/^series:/);
    }
    expect(distinct(await treeRecords(sink, root.sopInstanceUid))).toEqual(
      expectedRecords(studies, 'INSTANCE'),
    );
    expect(root.totalStudyRecords).toBe(leaves.length);
  });

  it('adds intermediate nodes past the fan-out, each carrying its whole subtree', async () => {
    const studies = makeStudies(10, 0, 0);
    const sink = new MemorySink();
    const root = await produceInventory({
      source: arraySource(studies),
      sink,
      request: request('STUDY'),
      maxRecordsPerInstance: 1,
      fanOut: 3,
    });
    // 10 leaves, 4 nodes over them, 2 over those, then the root.
    expect(root.instances).toHaveLength(10 + 4 + 2 + 1);
    const rootData = await decodeInventory(sink.stored.get(root.sopInstanceUid)!);
    const top = rootData['00080422']!.Value as DataSet[];
    expect(top).toHaveLength(2);
    const countLeaves = (references: readonly DataSet[]): number =>
      references.reduce((sum, reference) => {
        const nested = (reference['00080422']?.Value ?? []) as DataSet[];
        return sum + (nested.length === 0 ? 1 : countLeaves(nested));
      }, 0);
    expect(countLeaves(top)).toBe(10); // the root's items describe the whole tree
    expect(value(top[0]!, '00081150')).toBe(INVENTORY_STORAGE_SOP_CLASS);
    const node = await decodeInventory(sink.stored.get(value(top[0]!, '00081155') as string)!);
    expect(value(node, '00080427')).toBe(0);
    expect(value(node, '00080428')).toBe(9n);
    expect(distinct(await treeRecords(sink, root.sopInstanceUid))).toEqual(
      expectedRecords(studies, 'STUDY'),
    );
  });

  it("hands the sink each instance's keys: its top-level attributes but the record and reference sequences", async () => {
    const studies = [
      ...makeStudies(4, 2, 2),
      { uid: '1.2.9', patientName: 'Müller^Jürgen', series: [] },
    ];
    const sink = new MemorySink();
    const root = await produceInventory({
      source: arraySource(studies),
      sink,
      request: request('INSTANCE', {
        purpose: 'Überprüfung',
        scope: { '00100020': { vr: 'LO', Value: ['PID1'] } },
      }),
      maxRecordsPerInstance: 4,
      fanOut: 2,
    });
    expect(root.instances.length).toBeGreaterThan(5); // leaves, nodes and the root
    for (const uid of root.instances) {
      const keys = sink.keys.get(uid)!;
      const written = await readAttributes(
        [sink.stored.get(uid)!],
        [...Object.keys(keys), '00080422', '00080423'],
        { transferSyntaxUid: TransferSyntax.ExplicitVrLittleEndian },
      );
      const { '00080422': references, '00080423': records, ...rest } = written;
      void references;
      expect(records?.vr).toBe('SQ');
      expect(keys).toEqual(rest);
      expect(Object.keys(keys)).toEqual(expect.arrayContaining(['00080018', '00080426']));
    }
  });

  it('writes each instance byte for byte as the element writer writes its data set (undefined lengths)', async () => {
    const studies = [
      ...makeStudies(3, 2, 3),
      { uid: '1.2.9', patientName: 'Müller^Jürgen', series: [] },
    ];
    for (const level of ['STUDY', 'SERIES', 'INSTANCE'] as const) {
      const sink = new MemorySink();
      const root = await produceInventory({
        source: arraySource(studies),
        sink,
        request: request(level, { purpose: 'byte check' }),
        maxRecordsPerInstance: 5,
        fanOut: 2,
      });
      for (const uid of root.instances) {
        const bytes = sink.stored.get(uid)!;
        const syntax = { transferSyntaxUid: TransferSyntax.ExplicitVrLittleEndian };
        const tags = [...Object.keys(sink.keys.get(uid)!), '00080422', '00080423'];
        const model = await readAttributes([bytes], tags, syntax);
        const again = Buffer.concat([...writeElementsSync(dataSetTokens(model, false), syntax)]);
        expect(Buffer.from(bytes).equals(again)).toBe(true);
      }
    }
  });

  it('resumed after a checkpoint, gives the same records and instances as an uninterrupted run', async () => {
    const studies = makeStudies(6, 2, 2);
    const whole = new MemorySink();
    const uninterrupted = await produceInventory({
      source: arraySource(studies),
      sink: whole,
      request: request('INSTANCE'),
      maxRecordsPerInstance: 8,
    });

    const sink = new MemorySink();
    const saved = await stopAtCheckpoint(
      {
        source: arraySource(studies),
        sink,
        request: request('INSTANCE'),
        maxRecordsPerInstance: 8,
      },
      2,
    );
    const resumed = await produceInventory({
      source: arraySource(studies),
      sink,
      request: request('INSTANCE'),
      maxRecordsPerInstance: 8,
      resume: JSON.parse(JSON.stringify(saved)) as ProductionCheckpoint,
    });
    expect(resumed.instances).toEqual(uninterrupted.instances);
    expect(resumed.totalStudyRecords).toBe(uninterrupted.totalStudyRecords);
    expect(await treeRecords(sink, resumed.sopInstanceUid)).toEqual(
      await treeRecords(whole, uninterrupted.sopInstanceUid),
    );
  });

  it('rejects with the signal reason at once when aborted, and stores nothing more', async () => {
    const sink = new MemorySink();
    const controller = new AbortController();
    const reason = new Error('shutdown');
    let progress = 0;
    await expect(
      produceInventory({
        source: arraySource(makeStudies(50, 1, 1)),
        sink,
        request: request('INSTANCE'),
        maxRecordsPerInstance: 3,
        signal: controller.signal,
        onProgress: (studyRecords) => {
          progress = studyRecords;
          if (studyRecords === 5) controller.abort(reason);
        },
      }),
    ).rejects.toBe(reason);
    expect(progress).toBe(5);
    expect(sink.order.length).toBeLessThanOrEqual(5);
  });

  it('refuses a limit below one and a fan-out below two', async () => {
    const options = { source: arraySource([]), sink: new MemorySink(), request: request('STUDY') };
    await expect(produceInventory({ ...options, maxRecordsPerInstance: 0 })).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_PRODUCE_INVALID_OPTION',
    });
    await expect(produceInventory({ ...options, fanOut: 1 })).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_PRODUCE_INVALID_OPTION',
    });
  });
});

describe('finishInventory', () => {
  it('writes a PARTIAL root over the leaves stored so far', async () => {
    const studies = makeStudies(6, 1, 1);
    const sink = new MemorySink();
    const saved = await stopAtCheckpoint(
      {
        source: arraySource(studies),
        sink,
        request: request('SERIES'),
        maxRecordsPerInstance: 4,
      },
      1,
    );
    const root = await finishInventory({
      sink,
      request: request('SERIES'),
      checkpoint: saved,
      completion: 'PARTIAL',
    });
    expect(root.completion).toBe('PARTIAL');
    expect(root.instances).toEqual([
      ...saved.leaves.map((leaf) => leaf.sopInstanceUid),
      root.sopInstanceUid,
    ]);
    const data = await decodeInventory(sink.stored.get(root.sopInstanceUid)!);
    expect(value(data, '00080426')).toBe('PARTIAL');
    expect(value(data, '00080428')).toBe(BigInt(saved!.studyRecords));
    expect(distinct(await treeRecords(sink, root.sopInstanceUid))).toEqual(
      expectedRecords(studies.slice(0, 2), 'SERIES'),
    );
  });
});
