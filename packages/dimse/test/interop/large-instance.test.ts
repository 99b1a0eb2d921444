// A 2 GiB instance from our SCU to our SCP (storeToDirectory) in bounded memory. The SCP runs
// from the built package in a child process (large-instance-scp.mjs) that reports its peak RSS;
// the data set is compared by streaming SHA-256 on both sides.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLargeInstance, tempDir } from '@dicomnet/test-utils';
import type { GeneratedInstance } from '@dicomnet/test-utils';
import { connect, openInstanceFile } from '../../src/index.js';
import { hashDataSet } from './stored-instances.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCP_SCRIPT = path.join(here, 'large-instance-scp.mjs');
const PACKAGE_DIR = path.resolve(here, '../..');
const DIST = path.join(PACKAGE_DIR, 'dist', 'index.js');

const PIXEL_BYTES = 2 * 1024 * 1024 * 1024 - 1024 * 1024; // 2 GiB less 1 MiB: 32767 x 32768 x 16 bit
const MIB = 1024 * 1024;
/** The child SCP's peak RSS must stay below this, whatever the instance's size. */
const MAX_SCP_RSS = 200 * MIB;

type ScpMessage =
  | { type: 'listening'; port: number }
  | { type: 'stored'; bytes: number }
  | { type: 'ended'; error: string | null }
  | { type: 'report'; maxRssBytes: number };

/** The newest modification time of the package's non-test sources. */
async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** Starts the SCP child and hands out its messages in order. */
function startScp(dir: string): {
  child: ChildProcess;
  next: (type: ScpMessage['type']) => Promise<ScpMessage>;
  output: () => string;
} {
  const child = fork(SCP_SCRIPT, [dir], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const queue: ScpMessage[] = [];
  const waiting: (() => void)[] = [];
  child.on('message', (message) => {
    queue.push(message as ScpMessage); // the script sends only ScpMessage objects
    for (const wake of waiting.splice(0)) wake();
  });
  child.on('exit', () => {
    for (const wake of waiting.splice(0)) wake();
  });
  const next = async (type: ScpMessage['type']): Promise<ScpMessage> => {
    for (;;) {
      const index = queue.findIndex((message) => message.type === type);
      if (index >= 0) return queue.splice(index, 1)[0] as ScpMessage; // found just above
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the SCP child exited (${child.exitCode ?? child.signalCode}) before '${type}':\n${output}`,
        );
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return { child, next, output: () => output };
}

describe('a 2 GiB instance from our SCU to our SCP', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let large: GeneratedInstance;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    const built = await stat(DIST).catch(() => undefined);
    if (
      built === undefined ||
      built.mtimeMs < (await newestSource(path.join(PACKAGE_DIR, 'src')))
    ) {
      throw new Error(
        `${DIST} is missing or older than src/: run \`pnpm --filter @dicomnet/dimse build\` first ` +
          '(the SCP child imports the built package)',
      );
    }
    work = await tempDir('dicomnet-dimse-large-');
    // Zeros: a sparse pixel file, the fastest to make (dump2dcm still writes 2 GiB, ~20 s here).
    large = await generateLargeInstance(path.join(work.path, 'sent'), {
      bytes: PIXEL_BYTES,
      pixelFill: 'zeros',
    });
  }, 120_000);
  afterAll(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    await work?.remove();
  });

  it('stores it completely while the SCP process stays under 200 MiB of RSS', async () => {
    const receivedDir = path.join(work.path, 'received');
    const scp = startScp(receivedDir);
    child = scp.child;
    const listening = await scp.next('listening');
    if (listening.type !== 'listening') throw new Error('unexpected message');

    const file = await openInstanceFile(large.path);
    expect(file.size).toBeGreaterThan(PIXEL_BYTES);
    const ourRssBefore = process.resourceUsage().maxRSS * 1024;
    const client = await connect({
      host: '127.0.0.1',
      port: listening.port,
      callingAeTitle: 'DICOMNET_SCU',
      calledAeTitle: 'DICOMNET',
      contexts: [{ abstractSyntax: file.sopClassUid, transferSyntaxes: [file.transferSyntaxUid] }],
      connectTimeout: 5_000,
      dimseTimeout: 120_000,
    });
    let progress = 0;
    const result = await client.store(file.instance(), {
      onProgress: (bytes) => (progress = bytes),
    });
    await client.release();
    expect(result.status).toBe(0);
    expect(progress).toBe(file.size);
    expect(await scp.next('stored')).toMatchObject({ type: 'stored' });
    expect(await scp.next('ended')).toEqual({ type: 'ended', error: null });

    scp.child.send('report');
    const report = await scp.next('report');
    if (report.type !== 'report') throw new Error('unexpected message');
    scp.child.send('stop');
    const ourPeak = process.resourceUsage().maxRSS * 1024;
    expect(
      report.maxRssBytes,
      `SCP peak RSS ${Math.round(report.maxRssBytes / MIB)} MiB (our SCU's process: ${Math.round(ourRssBefore / MIB)} → ${Math.round(ourPeak / MIB)} MiB)`,
    ).toBeLessThan(MAX_SCP_RSS);
    // Our SCU streamed the file too: its process grew by far less than the instance.
    expect(ourPeak - ourRssBefore).toBeLessThan(MAX_SCP_RSS);

    const stored = path.join(receivedDir, `${large.sopInstanceUid}.dcm`);
    expect(await readdir(receivedDir)).toEqual([path.basename(stored)]);
    const [sentHash, storedHash] = await Promise.all([
      hashDataSet(large.path),
      hashDataSet(stored),
    ]);
    expect(storedHash).toEqual(sentHash);
    expect(storedHash.bytes).toBe(file.size);
  }, 180_000);
});
