import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessRunning } from './process-running.js';
import { livePeerPids, spawnPeer, stopAllPeers } from './spawn-peer.js';

afterAll(stopAllPeers);

async function eventually(check: () => boolean, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

describe('spawnPeer', () => {
  it('sets TCP_NODELAY=1 and collects the output', async () => {
    const peer = await spawnPeer('sh', ['-c', 'echo "nodelay=$TCP_NODELAY"; echo oops >&2']);
    expect(await peer.exited).toEqual({ code: 0, signal: null });
    expect(peer.output()).toContain('nodelay=1\n');
    expect(peer.output()).toContain('oops\n');
  });

  it('keeps only the last bytes of a long output', async () => {
    const script = 'head -c 300000 /dev/zero | tr "\\000" a; echo END';
    const peer = await spawnPeer('sh', ['-c', script], { maxOutputBytes: 1024 });
    await peer.exited;
    await sleep(50); // 'exit' may come before the last 'data' event
    expect(peer.output().length).toBeLessThanOrEqual(1024);
    expect(peer.output().endsWith('aEND\n')).toBe(true);
  });

  it('stop() sends SIGTERM and resolves once the PID is gone', async () => {
    const peer = await spawnPeer('sleep', ['60']);
    expect(isProcessRunning(peer.pid)).toBe(true);
    expect(await peer.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isProcessRunning(peer.pid)).toBe(false);
    expect(await peer.stop()).toEqual({ code: null, signal: 'SIGTERM' }); // idempotent
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored', async () => {
    const script = "trap '' TERM; echo ready; exec sleep 60";
    const peer = await spawnPeer('sh', ['-c', script], { stopTimeoutMs: 300 });
    expect(await eventually(() => peer.output().includes('ready'))).toBe(true); // trap is set
    expect(await peer.stop()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isProcessRunning(peer.pid)).toBe(false);
  });

  it('stop() of a detached peer kills its whole process group', async () => {
    const peer = await spawnPeer('sh', ['-c', 'sleep 60 & echo "child=$!"; wait'], {
      detached: true,
    });
    expect(await eventually(() => /child=\d+/.test(peer.output()))).toBe(true);
    const childPid = Number(/child=(\d+)/.exec(peer.output())?.[1]);
    expect(isProcessRunning(childPid)).toBe(true);
    await peer.stop();
    expect(await eventually(() => !isProcessRunning(childPid))).toBe(true);
  });

  it('stopAllPeers() stops every peer not stopped yet', async () => {
    const peers = [await spawnPeer('sleep', ['60']), await spawnPeer('sleep', ['60'])];
    expect(livePeerPids()).toEqual(expect.arrayContaining(peers.map((peer) => peer.pid)));
    await stopAllPeers();
    expect(livePeerPids()).toEqual([]);
    for (const peer of peers) expect(isProcessRunning(peer.pid)).toBe(false);
  });

  it('names the Debian packages when the program is missing', async () => {
    await expect(spawnPeer('no-such-dicom-tool')).rejects.toMatchObject({
      code: 'DICOMNET_TEST_PEER_MISSING',
      message: expect.stringMatching(/install-peers\.sh.*dcmtk, orthanc and openssl/),
    });
  });
});
