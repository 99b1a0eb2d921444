// dicomnet store --window N against dicomnet serve --window N: several C-STOREs in flight on one
// association (PS3.7 D.3.3.3), every instance stored.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DIMSE_DIAGNOSTICS_CHANNELS } from '@dicomnet/dimse';
import type { DimseMessageEvent } from '@dicomnet/dimse';
import { freePort, generateInstances, tempDir } from '@dicomnet/test-utils';
import { ExitCode } from '../src/exit-codes.js';
import { runCli } from './run-cli.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

it('keeps up to --window C-STOREs in flight, and every instance arrives', async () => {
  const instances = await generateInstances(path.join(dir.path, 'send'), { count: 24 });
  const storage = path.join(dir.path, 'storage');
  const port = await freePort();
  const interrupt = new AbortController();
  // Requests the server has read and not yet answered, at most.
  let open = 0;
  let widest = 0;
  const onReceived = (event: unknown): void => {
    if ((event as DimseMessageEvent).kind !== 'C-STORE-RQ') return;
    widest = Math.max(widest, ++open);
  };
  const onSent = (event: unknown): void => {
    if ((event as DimseMessageEvent).kind === 'C-STORE-RSP') open--;
  };
  subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
  subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, onSent);
  try {
    const serving = runCli(
      ['serve', '--port', String(port), '--folder', storage, '--window', '4'],
      { interrupted: interrupt.signal },
    );
    let sent: Awaited<ReturnType<typeof runCli>> | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      sent = await runCli([
        'store',
        '127.0.0.1',
        String(port),
        path.join(dir.path, 'send'),
        '--called',
        'DICOMNET',
        '--window',
        '4',
      ]);
      if (sent.code !== ExitCode.Unreachable) break;
      await new Promise((resolve) => setTimeout(resolve, 100)); // serve is still starting
    }
    interrupt.abort();
    expect((await serving).code).toBe(ExitCode.Ok);
    expect(sent?.code, sent?.stderr).toBe(ExitCode.Ok);
  } finally {
    unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
    unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, onSent);
  }
  expect((await readdir(storage)).sort()).toEqual(
    instances.map((instance) => `${instance.sopInstanceUid}.dcm`).sort(),
  );
  expect(widest).toBeGreaterThan(1);
  expect(widest).toBeLessThanOrEqual(4);
});
