import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstances } from './generate-instances.js';
import type { GeneratedInstance } from './generate-instances.js';
import { isProcessRunning } from './process-running.js';
import { runTool } from './run-tool.js';
import { stopAllPeers } from './spawn-peer.js';
import { startDcmrecv } from './start-dcmrecv.js';
import { startStorescp } from './start-storescp.js';
import { tempDir } from './temp-dir.js';

const TIMEOUTS = ['-to', '5', '-ta', '5', '-td', '10'];
let dir: Awaited<ReturnType<typeof tempDir>>;
let instances: GeneratedInstance[];

beforeAll(async () => {
  dir = await tempDir('dicomnet-storescp-test-');
  instances = await generateInstances(path.join(dir.path, 'data'), { count: 2 });
});
afterAll(async () => {
  await stopAllPeers();
  await dir.remove();
});

describe('startStorescp', () => {
  it('answers C-ECHO, stores what storescu sends, and is gone after stop()', async () => {
    const outputDir = path.join(dir.path, 'received');
    const scp = await startStorescp({ outputDir });
    const echo = await runTool('echoscu', [
      ...TIMEOUTS,
      '-aec',
      scp.aeTitle,
      '127.0.0.1',
      String(scp.port),
    ]);
    expect(echo.code, echo.stderr).toBe(0);
    const paths = instances.map((instance) => instance.path);
    const store = await runTool('storescu', [...TIMEOUTS, '127.0.0.1', String(scp.port), ...paths]);
    expect(store.code, store.stderr).toBe(0);
    const received = await readdir(outputDir); // storescp names files <SOP class>.<instance UID>
    expect(received.sort()).toEqual(
      instances.map((instance) => `SC.${instance.sopInstanceUid}`).sort(),
    );

    expect(await scp.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isProcessRunning(scp.peer.pid)).toBe(false);
    const after = await runTool('echoscu', [...TIMEOUTS, '127.0.0.1', String(scp.port)]);
    expect(after.stderr).toContain('Connection refused');
  }, 30_000);

  it('comes up with --refuse, which rejects every association', async () => {
    const scp = await startStorescp({
      outputDir: path.join(dir.path, 'refused'),
      extraArgs: ['--refuse'],
    });
    const echo = await runTool('echoscu', [...TIMEOUTS, '127.0.0.1', String(scp.port)]);
    expect(echo.code).toBe(1);
    expect(echo.stderr).toContain('Association Rejected');
    await scp.stop();
  }, 30_000);
});

describe('startDcmrecv', () => {
  it('accepts storage (with the storescp.cfg profile) and stops', async () => {
    const outputDir = path.join(dir.path, 'dcmrecv');
    const scp = await startDcmrecv({ outputDir });
    const send = await runTool('dcmsend', [
      '-aec',
      scp.aeTitle,
      '127.0.0.1',
      String(scp.port),
      ...instances.map((i) => i.path),
    ]);
    expect(send.code, send.stderr).toBe(0);
    expect(await readdir(outputDir)).toHaveLength(2);
    await scp.stop();
    expect(isProcessRunning(scp.peer.pid)).toBe(false);
  }, 30_000);
});
