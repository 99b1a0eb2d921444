// A Storage SCP killed with SIGKILL mid-transfer leaves its temporary file; started again on
// the same folder it removes that file before anything else and reports it (issue 13 §4).
import { fork, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { isStoreLeftover } from '../../src/store/store-leftovers.js';
import { proposal, storeRq, WirePeer } from '../helpers/wire-peer.js';

const CHILD = new URL('./store-scp-child.mjs', import.meta.url);
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the SCP child on `dir`; resolves with its port and the leftovers it reported. */
function startScp(
  dir: string,
): Promise<{ child: ChildProcess; port: number; leftovers: string[] }> {
  const child = fork(CHILD, [dir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  const leftovers: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the SCP child did not start in 10 s')),
      10_000,
    );
    child.on('message', (message: { type: string; port?: number; paths?: string[] }) => {
      if (message.type === 'leftovers') leftovers.push(...(message.paths ?? []));
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve({ child, port: message.port ?? 0, leftovers });
      }
    });
    child.once('exit', (code) => reject(new Error(`the SCP child exited with ${code}`)));
  });
}

async function waitFor<T>(read: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('crash recovery of the storage folder', () => {
  it('a restart removes and reports the temporary file of a transfer killed by SIGKILL', async () => {
    const dir = await tempDir();
    try {
      const first = await startScp(dir.path);
      expect(first.leftovers).toEqual([]);
      const socket = connect(first.port, '127.0.0.1');
      const peer = new WirePeer(socket);
      expect((await peer.associate(proposal())).type).toBe('A-ASSOCIATE-AC');
      const uid = '1.2.826.0.1.3680043.8.498.42';
      peer.sendPdvs([
        { presentationContextId: 3, isCommand: true, isLast: true, fragment: storeRq(1, uid) },
      ]);
      // The data set's start (SOP Class and Instance UIDs), then 1 MB of it, never the end.
      const start = Buffer.concat([
        element(0x0008, 0x0016, '1.2.840.10008.5.1.4.1.1.7'),
        element(0x0008, 0x0018, uid),
      ]);
      peer.sendPdvs([
        { presentationContextId: 3, isCommand: false, isLast: false, fragment: start },
      ]);
      for (let index = 0; index < 64; index++) {
        peer.sendPdvs([
          {
            presentationContextId: 3,
            isCommand: false,
            isLast: false,
            fragment: new Uint8Array(16_000),
          },
        ]);
      }
      const leftover = await waitFor(async () => {
        const names = await readdir(dir.path);
        return names.find((name) => name.endsWith('.part'));
      }, 10_000);
      expect(isStoreLeftover(leftover)).toBe(true);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      peer.destroy();
      expect(await readdir(dir.path)).toEqual([leftover]); // SIGKILL left it behind

      const second = await startScp(dir.path);
      // Reported once the folder has been read, which may be after the server listens.
      await waitFor(async () => (second.leftovers.length > 0 ? true : undefined), 10_000);
      expect(second.leftovers).toEqual([path.join(dir.path, leftover)]);
      expect(await readdir(dir.path)).toEqual([]);
      second.child.kill('SIGKILL');
    } finally {
      await dir.remove();
    }
  });
});

/** An Explicit VR Little Endian UI element (PS3.5 §7.1.2), padded to even length with NUL. */
function element(group: number, elementNumber: number, uid: string): Buffer {
  const value = Buffer.from(uid.length % 2 === 0 ? uid : `${uid}\0`, 'latin1');
  const header = Buffer.alloc(8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.write('UI', 4, 'latin1');
  header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}
