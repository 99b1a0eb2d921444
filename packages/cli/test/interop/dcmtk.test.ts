import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, generateInstances, runTool, startStorescp, tempDir } from '@dicomnet/test-utils';
import type { GeneratedInstance } from '@dicomnet/test-utils';
import { ExitCode } from '../../src/exit-codes.js';
import { dataSetBytes } from '../data-set-bytes.js';
import { runCli } from '../run-cli.js';

const TIMEOUTS = ['-to', '5', '-ta', '5', '-td', '5'];

describe('dicomnet echo and store against DCMTK storescp', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let scp: Awaited<ReturnType<typeof startStorescp>>;
  let instances: GeneratedInstance[];

  beforeAll(async () => {
    dir = await tempDir();
    scp = await startStorescp({
      outputDir: path.join(dir.path, 'received'),
      extraArgs: ['+xa', '-fe', '.dcm'],
    });
    instances = [
      ...(await generateInstances(path.join(dir.path, 'send'), { count: 20 })),
      ...(await generateInstances(path.join(dir.path, 'send', 'implicit'), {
        count: 3,
        transferSyntax: 'implicit-vr-little-endian',
      })),
      ...(await generateInstances(path.join(dir.path, 'send', 'rle'), {
        count: 2,
        transferSyntax: 'rle-lossless',
      })),
    ];
  });
  afterAll(async () => {
    await scp?.stop();
    await dir?.remove();
  });

  it('echoes three times on one association', async () => {
    const result = await runCli(['echo', '127.0.0.1', String(scp.port), '--repeat', '3', '--json']);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, echoes: 3 });
  });

  it('stores a folder of files in three transfer syntaxes, and storescp holds identical data sets', async () => {
    const result = await runCli([
      'store',
      '127.0.0.1',
      String(scp.port),
      path.join(dir.path, 'send'),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    const summary = JSON.parse(result.stdout) as { stored: number; failed: number };
    expect(summary).toMatchObject({ stored: instances.length, failed: 0 });
    const received = await readdir(path.join(dir.path, 'received'));
    expect(received).toHaveLength(instances.length);
    for (const instance of instances) {
      const name = received.find((file) => file.includes(instance.sopInstanceUid)) as string;
      expect(name, instance.sopInstanceUid).toBeDefined();
      const sent = await dataSetBytes(instance.path);
      const stored = await dataSetBytes(path.join(dir.path, 'received', name));
      expect(stored.equals(sent)).toBe(true);
    }
  });

  it('exits 1 and names the file when one is not DICOM', async () => {
    const result = await runCli([
      'store',
      '127.0.0.1',
      String(scp.port),
      instances[0]?.path as string,
      __filename,
    ]);
    expect(result.code).toBe(ExitCode.Failed);
    expect(result.stdout).toContain('1 of 2 file(s) stored');
    expect(result.stderr).toContain(__filename);
  });

  it('exits 3 when the association is rejected', async () => {
    const refusing = await startStorescp({
      outputDir: path.join(dir.path, 'refused'),
      extraArgs: ['--refuse'],
    });
    try {
      const result = await runCli(['echo', '127.0.0.1', String(refusing.port)]);
      expect(result.code).toBe(ExitCode.Rejected);
      expect(result.stderr).toContain('rejected');
    } finally {
      await refusing.stop();
    }
  });
});

describe('dicomnet serve with DCMTK storescu, dcmsend and echoscu', () => {
  it('stores what they send, atomically, and logs one line per association', async () => {
    const dir = await tempDir();
    const stop = new AbortController();
    const port = await freePort();
    const storage = path.join(dir.path, 'storage');
    try {
      const instances = await generateInstances(path.join(dir.path, 'send'), { count: 10 });
      const serving = runCli(
        ['serve', '--port', String(port), '--aet', 'DICOMNET', '--folder', storage, '--json'],
        {
          interrupted: stop.signal,
        },
      );
      let ready = await runTool('echoscu', [
        ...TIMEOUTS,
        '-aec',
        'DICOMNET',
        '127.0.0.1',
        String(port),
      ]);
      for (let tries = 0; ready.code !== 0 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ready = await runTool('echoscu', [
          ...TIMEOUTS,
          '-aec',
          'DICOMNET',
          '127.0.0.1',
          String(port),
        ]);
      }
      expect(ready.code).toBe(0);
      const storescu = await runTool('storescu', [
        ...TIMEOUTS,
        '-aec',
        'DICOMNET',
        '+sd',
        '127.0.0.1',
        String(port),
        path.join(dir.path, 'send'),
      ]);
      expect(storescu.code, storescu.stderr).toBe(0);
      const dcmsend = await runTool('dcmsend', [
        '-aec',
        'DICOMNET',
        '127.0.0.1',
        String(port),
        instances[0]?.path as string,
      ]);
      expect(dcmsend.code, dcmsend.stderr).toBe(0);
      const wrongAe = await runTool('echoscu', [
        ...TIMEOUTS,
        '-aec',
        'SOMEONE',
        '127.0.0.1',
        String(port),
      ]);
      expect(wrongAe.stderr).toContain('Called AE Title Not Recognized');
      stop.abort();
      const result = await serving;
      expect(result.code).toBe(ExitCode.Ok);
      const events = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; stored?: number });
      expect(events.filter((event) => event.event === 'association')).toHaveLength(3);
      expect(
        events.find((event) => event.event === 'association-end' && event.stored === 10),
      ).toBeDefined();
      const files = await readdir(storage);
      expect(files.sort()).toEqual(
        instances.map((instance) => `${instance.sopInstanceUid}.dcm`).sort(),
      );
      for (const instance of instances) {
        const stored = await dataSetBytes(path.join(storage, `${instance.sopInstanceUid}.dcm`));
        expect(stored.equals(await dataSetBytes(instance.path))).toBe(true);
      }
      const dump = await runTool('dcmdump', ['-q', path.join(storage, files[0] as string)]);
      expect(dump.code, dump.stderr).toBe(0);
    } finally {
      stop.abort();
      await dir.remove();
    }
  });
});
