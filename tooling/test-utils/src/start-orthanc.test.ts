import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstances } from './generate-instances.js';
import { isProcessRunning } from './process-running.js';
import { runTool } from './run-tool.js';
import { stopAllPeers } from './spawn-peer.js';
import { startOrthanc } from './start-orthanc.js';
import { startStorescp } from './start-storescp.js';
import { tempDir } from './temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir('dicomnet-orthanc-test-');
});
afterAll(async () => {
  await stopAllPeers();
  await dir.remove();
});

describe('startOrthanc', () => {
  it('serves REST and DICOM on its own ports, reaches a modality, and stops cleanly', async () => {
    const [instance] = await generateInstances(path.join(dir.path, 'data'));
    const modality = await startStorescp({
      aeTitle: 'DICOMNET',
      outputDir: path.join(dir.path, 'received'),
    });
    const orthanc = await startOrthanc({
      aeTitle: 'ORTHANC',
      modalities: {
        dicomnet: { aet: 'DICOMNET', port: modality.port, allowStorageCommitment: true },
      },
    });

    const system = await orthanc.rest<{ Version: string; DicomAet: string; DicomPort: number }>(
      'GET',
      '/system',
    );
    expect(system).toMatchObject({ DicomAet: 'ORTHANC', DicomPort: orthanc.dicomPort });
    const echo = await runTool('echoscu', [
      '-to',
      '5',
      '-ta',
      '5',
      '-td',
      '5',
      '-aec',
      'ORTHANC',
      '127.0.0.1',
      String(orthanc.dicomPort),
    ]);
    expect(echo.code, echo.stderr).toBe(0);

    // Upload over HTTP, then have Orthanc send it to the storescp listed in DicomModalities.
    const upload = await orthanc.rest<{ ID: string; Status: string }>(
      'POST',
      '/instances',
      await readFile(instance?.path ?? ''),
    );
    expect(upload.Status).toBe('Success');
    expect(await orthanc.rest('POST', '/modalities/dicomnet/echo', {})).toEqual({});
    const sent = await orthanc.rest<{ InstancesCount: number; FailedInstancesCount: number }>(
      'POST',
      '/modalities/dicomnet/store',
      { Resources: [upload.ID], Synchronous: true },
    );
    expect(sent).toMatchObject({ InstancesCount: 1, FailedInstancesCount: 0 });
    await expect(orthanc.rest('GET', '/no-such-route')).rejects.toMatchObject({
      code: 'DICOMNET_TEST_ORTHANC_REST',
      status: 404,
    });

    await orthanc.stop();
    expect(isProcessRunning(orthanc.peer.pid)).toBe(false);
    await expect(stat(orthanc.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    await modality.stop();
  }, 60_000);
});
