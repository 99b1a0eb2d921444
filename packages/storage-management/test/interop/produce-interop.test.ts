// Produced Inventory instances (leaves, intermediate nodes, root; STUDY, SERIES and INSTANCE
// level) read by other implementations: DCMTK's dcmdump (with inventory.dic, since DCMTK 3.6.7
// predates the Inventory tags), dicom3tools' dciodvfy (which predates the Inventory IOD: it says
// "Information Object Not found" and warns about the unknown tags and the UV VR, PEERS.md §5, but
// must find no VR, length or sequence encoding error), and dcmjs (records read back and compared
// with dicomnet's own element reader).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDcmjsCodec, readPart10Header, TransferSyntax, type DataSet } from '@dicomnet/data';
import { parseInventoryScope } from '@dicomnet/repository';
import { runTool } from '@dicomnet/test-utils';
import {
  folderSink,
  inventoryFileName,
  produceInventory,
  readInventoryFolder,
  readInventoryTree,
  repositorySource,
  type InventoryLevel,
  type InventoryRoot,
} from '../../src/index.js';
import { decodeInventory, flatRecords } from '../helpers/inventory-fixtures.js';
import { useRepositoryFixture } from '../helpers/repository-fixture.js';

const DICTIONARY = fileURLToPath(new URL('../helpers/inventory.dic', import.meta.url));
const DCMTK_ENV = { DCMDICTPATH: `/usr/share/libdcmtk17/dicom.dic:${DICTIONARY}` };
const LEVELS: readonly InventoryLevel[] = ['STUDY', 'SERIES', 'INSTANCE'];

const fixture = useRepositoryFixture('produce-interop-', 4, 2, 2);
const produced = new Map<InventoryLevel, { root: InventoryRoot; folder: string }>();

beforeAll(async () => {
  for (const level of LEVELS) {
    const folder = path.join(fixture.dir, level);
    const scope: DataSet = { '00100020': { vr: 'LO', Value: ['PID-*'] } };
    const root = await produceInventory({
      source: repositorySource(fixture.repository),
      sink: folderSink(folder),
      request: {
        level,
        scope,
        query: parseInventoryScope(scope),
        purpose: 'interop check',
        transactionUid: '1.2.826.0.1.3680043.10.1.170',
        startedAt: new Date(),
      },
      // Small leaves and fan-out: several leaves, intermediate nodes and a root.
      maxRecordsPerInstance: level === 'STUDY' ? 1 : 4,
      fanOut: 2,
    });
    produced.set(level, { root, folder });
  }
}, 120_000);

async function files(level: InventoryLevel): Promise<string[]> {
  const { folder } = produced.get(level)!;
  return (await readdir(folder)).map((name) => path.join(folder, name));
}

describe('produced Inventory instances, read by other implementations', () => {
  for (const level of LEVELS) {
    it(`${level}: a tree of leaves, intermediate nodes and a root`, async () => {
      const { root, folder } = produced.get(level)!;
      expect(root.instances.length).toBeGreaterThanOrEqual(4);
      expect((await readdir(folder)).sort()).toEqual(root.instances.map(inventoryFileName).sort());
      const bytes = await readFile(path.join(folder, inventoryFileName(root.sopInstanceUid)));
      const rootData = await decodeInventory(bytes.subarray(readPart10Header(bytes).dataSetOffset));
      const nested = (rootData['00080422']?.Value ?? []) as DataSet[];
      expect(nested.some((item) => item['00080422'] !== undefined)).toBe(true); // intermediate
    });

    it(`${level}: dcmdump reads every instance with every tag known`, async () => {
      for (const file of await files(level)) {
        const result = await runTool('dcmdump', ['-M', file], {
          env: DCMTK_ENV,
          timeoutMs: 10_000,
        });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout).not.toMatch(/Unknown Tag|error/i);
        expect(result.stdout).toContain(`InventoryLevel`);
        expect(result.stdout).toMatch(/TotalNumberOfStudyRecords/);
      }
    });

    it(`${level}: dciodvfy finds no VR, length or sequence error`, async () => {
      for (const file of await files(level)) {
        const result = await runTool('dciodvfy', [file], { timeoutMs: 10_000 });
        const lines = `${result.stdout}\n${result.stderr}`
          .split('\n')
          .filter((line) => line !== '');
        const errors = lines.filter((line) => /Error/.test(line));
        expect(errors).toEqual(['Error - Information Object Not found']);
        const unexpected = lines.filter(
          (line) =>
            !/Unrecognized tag - assuming explicit value representation OK/.test(line) &&
            !/\(0x0008,0x0428\) +\? +Warning - (Value representation unsupported by this implementation - <UV>|Unrecognized or unsupported tag - skipping)/.test(
              line,
            ) &&
            !/needed to build DICOMDIR/.test(line) &&
            line !== 'Error - Information Object Not found',
        );
        expect(unexpected).toEqual([]);
      }
    });

    it(`${level}: dicomnet's own reader walks the tree to every record the repository holds`, async () => {
      const { root, folder } = produced.get(level)!;
      const inventories = await readInventoryFolder(folder);
      expect(inventories.skipped).toEqual([]);
      expect(inventories.roots.map((header) => header.sopInstanceUid)).toEqual([
        root.sopInstanceUid,
      ]);
      const seen = {
        study: new Set<string>(),
        series: new Set<string>(),
        instance: new Set<string>(),
      };
      for await (const item of readInventoryTree(root.sopInstanceUid, inventories.open)) {
        if (item.kind === 'study') seen.study.add(item.studyInstanceUid);
        if (item.kind === 'series') seen.series.add(item.seriesInstanceUid);
        if (item.kind === 'instance') seen.instance.add(item.sopInstanceUid);
      }
      const all = fixture.instances;
      expect(seen.study).toEqual(new Set(all.map((instance) => instance.studyInstanceUid)));
      if (level !== 'STUDY')
        expect(seen.series).toEqual(new Set(all.map((instance) => instance.seriesInstanceUid)));
      if (level === 'INSTANCE')
        expect(seen.instance).toEqual(new Set(all.map((instance) => instance.sopInstanceUid)));
    });

    it(`${level}: dcmjs reads every instance back with the same records`, async () => {
      const codec = createDcmjsCodec();
      for (const file of await files(level)) {
        const bytes = await readFile(file);
        const dataSet = bytes.subarray(readPart10Header(bytes).dataSetOffset);
        const ours = await decodeInventory(dataSet);
        const theirs = codec.decode(dataSet, TransferSyntax.ExplicitVrLittleEndian);
        expect(flatRecords(theirs)).toEqual(flatRecords(ours));
        expect(theirs['00080403']?.Value).toEqual([level]);
        expect(theirs['00080427']?.Value).toEqual(ours['00080427']?.Value);
        expect(theirs['00080426']?.Value).toEqual(ours['00080426']?.Value);
      }
    });
  }
});
