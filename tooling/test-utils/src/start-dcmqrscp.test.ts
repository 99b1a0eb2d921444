import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstances } from './generate-instances.js';
import { isProcessRunning } from './process-running.js';
import { runTool } from './run-tool.js';
import { stopAllPeers } from './spawn-peer.js';
import { startDcmqrscp } from './start-dcmqrscp.js';
import { startStorescp } from './start-storescp.js';
import { tempDir } from './temp-dir.js';

const TIMEOUTS = ['-to', '5', '-ta', '5', '-td', '10'];
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir('dicomnet-dcmqrscp-test-');
});
afterAll(async () => {
  await stopAllPeers();
  await dir.remove();
});

describe('startDcmqrscp', () => {
  it('stores, finds and moves to a listed destination, then is gone with its folder', async () => {
    const instances = await generateInstances(path.join(dir.path, 'data'), { count: 3 });
    const movedDir = path.join(dir.path, 'moved');
    const destination = await startStorescp({ aeTitle: 'MOVEDEST', outputDir: movedDir });
    const qr = await startDcmqrscp({
      moveDestinations: [{ aeTitle: 'MOVEDEST', port: destination.port }],
    });
    const peerArgs = ['-aec', qr.aeTitle, '127.0.0.1', String(qr.port)];

    const store = await runTool('storescu', [
      ...TIMEOUTS,
      ...peerArgs,
      ...instances.map((i) => i.path),
    ]);
    expect(store.code, store.stderr).toBe(0);
    const study = ['-k', `StudyInstanceUID=${instances[0]?.studyInstanceUid}`];
    const series = ['-k', `SeriesInstanceUID=${instances[0]?.seriesInstanceUid}`];
    const findKeys = [
      '-k',
      'QueryRetrieveLevel=IMAGE',
      ...study,
      ...series,
      '-k',
      'SOPInstanceUID',
    ];
    const find = await runTool('findscu', ['-S', ...TIMEOUTS, ...findKeys, ...peerArgs]);
    expect(find.code, find.stderr).toBe(0);
    expect(find.stderr.match(/Find Response: \d+ \(Pending\)/g)).toHaveLength(3);
    const move = await runTool('movescu', [
      '-S',
      ...TIMEOUTS,
      '-aem',
      'MOVEDEST',
      '-k',
      'QueryRetrieveLevel=STUDY',
      ...study,
      ...peerArgs,
    ]);
    expect(move.code, move.stderr).toBe(0);
    expect(await readdir(movedDir)).toHaveLength(3);

    await qr.stop();
    expect(isProcessRunning(qr.peer.pid)).toBe(false);
    await expect(readdir(qr.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    await destination.stop();
  }, 30_000);

  it('leaves no process or folder when only stopAllPeers() cleans up', async () => {
    const qr = await startDcmqrscp();
    await stopAllPeers();
    expect(isProcessRunning(qr.peer.pid)).toBe(false);
    await expect(readdir(qr.dir)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 30_000);

  it('rejects a wrong called AE title', async () => {
    const qr = await startDcmqrscp({ aeTitle: 'ARCHIVE' });
    const echo = await runTool('echoscu', [
      ...TIMEOUTS,
      '-aec',
      'WRONG',
      '127.0.0.1',
      String(qr.port),
    ]);
    expect(echo.stderr).toContain('Called AE Title Not Recognized');
    await qr.stop();
  }, 30_000);
});
