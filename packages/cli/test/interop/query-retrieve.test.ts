// dicomnet find, get and move against DCMTK's dcmqrscp (holding instances dicomnet store sent it),
// with storescp as the C-MOVE destination; what arrives is compared with what was sent.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInstanceFile } from '@dicomnet/dimse';
import { generateInstances, startDcmqrscp, startStorescp, tempDir } from '@dicomnet/test-utils';
import type { Dcmqrscp, GeneratedInstance } from '@dicomnet/test-utils';
import { ExitCode } from '../../src/exit-codes.js';
import { dataSetBytes } from '../data-set-bytes.js';
import { runCli } from '../run-cli.js';

/** Every file of `dir` has the data set of the instance with its SOP Instance UID. */
async function expectHolds(dir: string, instances: readonly GeneratedInstance[]): Promise<void> {
  const names = (await readdir(dir)).filter((name) => !name.startsWith('.'));
  expect(names).toHaveLength(instances.length);
  const byUid = new Map(instances.map((instance) => [instance.sopInstanceUid, instance]));
  for (const name of names) {
    const file = await openInstanceFile(path.join(dir, name));
    const sent = byUid.get(file.sopInstanceUid);
    expect(sent, name).toBeDefined();
    expect(await dataSetBytes(path.join(dir, name))).toEqual(await dataSetBytes(sent?.path ?? ''));
  }
}

describe('dicomnet find, get and move against dcmqrscp', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let qrscp: Dcmqrscp;
  let destination: Awaited<ReturnType<typeof startStorescp>>;
  let first: GeneratedInstance[];
  let second: GeneratedInstance[];
  const peer = (): string[] => ['127.0.0.1', String(qrscp.port), '--called', qrscp.aeTitle];

  beforeAll(async () => {
    dir = await tempDir();
    destination = await startStorescp({
      aeTitle: 'MOVEDEST',
      outputDir: path.join(dir.path, 'moved'),
      extraArgs: ['+xa', '-fe', '.dcm'],
    });
    qrscp = await startDcmqrscp({
      moveDestinations: [{ aeTitle: 'MOVEDEST', port: destination.port }],
    });
    first = await generateInstances(path.join(dir.path, 'send', 'a'), {
      count: 3,
      patientId: 'CLI1',
    });
    second = await generateInstances(path.join(dir.path, 'send', 'b'), {
      count: 2,
      patientId: 'CLI2',
    });
    const stored = await runCli(['store', ...peer(), path.join(dir.path, 'send')]);
    expect(stored.code, stored.stderr).toBe(ExitCode.Ok);
  }, 60_000);
  afterAll(async () => {
    await qrscp?.stop();
    await destination?.stop();
    await dir?.remove();
  });

  it('finds the study of one patient, and prints its keys', async () => {
    const json = await runCli([
      'find',
      ...peer(),
      '-k',
      'PatientID=CLI2',
      '-k',
      'StudyInstanceUID',
      '--json',
    ]);
    expect(json.code, json.stderr).toBe(ExitCode.Ok);
    const parsed = JSON.parse(json.stdout) as {
      count: number;
      matches: Record<string, { Value?: unknown[] }>[];
    };
    expect(parsed.count).toBe(1);
    expect(parsed.matches[0]?.['0020000D']?.Value).toEqual([second[0]?.studyInstanceUid]);
    const lines = await runCli(['find', ...peer(), '-k', 'PatientID', '-k', 'StudyInstanceUID']);
    expect(lines.code, lines.stderr).toBe(ExitCode.Ok);
    expect(lines.stdout).toContain(
      `PatientID=CLI1  StudyInstanceUID=${first[0]?.studyInstanceUid}`,
    );
    expect(lines.stdout).toContain('2 match(es): Matching is complete');
  });

  it.each([
    ['', 'got', []],
    [' with --no-fsync', 'got-no-fsync', ['--no-fsync']],
  ])('gets a study into a folder%s, each data set identical', async (_name, folder, extra) => {
    const out = path.join(dir.path, folder);
    const result = await runCli([
      'get',
      ...peer(),
      '-k',
      `StudyInstanceUID=${first[0]?.studyInstanceUid}`,
      '--out',
      out,
      ...extra,
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(result.stdout).toContain('C-GET: 3 completed, 0 failed, 0 warning');
    await expectHolds(out, first);
  });

  it('moves a study to another AE, each data set identical', async () => {
    const result = await runCli([
      'move',
      ...peer(),
      '-k',
      `StudyInstanceUID=${second[0]?.studyInstanceUid}`,
      '--dest',
      'MOVEDEST',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, completed: 2, failed: 0 });
    await expectHolds(path.join(dir.path, 'moved'), second);
  });

  it('exits 1 with the failure status for an unknown destination', async () => {
    const result = await runCli([
      'move',
      ...peer(),
      '-k',
      `StudyInstanceUID=${second[0]?.studyInstanceUid}`,
      '--dest',
      'NOWHERE',
    ]);
    expect(result.code).toBe(ExitCode.Failed);
    expect(result.stderr).toMatch(/0xA801/);
  });

  it('refuses a key it does not know with a usage error', async () => {
    const result = await runCli(['find', ...peer(), '-k', 'NotAKeyword=1']);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toMatch(/Query\/Retrieve keyword/);
  });
});
