import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../server/dimse-server.js';
import type { DimseServer } from '../server/dimse-server.js';
import { createAssociationPool } from './association-pool.js';
import type { AssociationPool, PoolOptions } from './association-pool.js';
import type { StoreInstance } from './dimse-client.js';

const VERIFICATION = '1.2.840.10008.1.1';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';

const servers: DimseServer[] = [];
const pools: AssociationPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  await Promise.all(
    servers.splice(0).map((server) => server.abortAll().then(() => server.close())),
  );
});

/** A storage SCP that counts its associations and holds each C-STORE until `release()`. */
async function scp() {
  let associations = 0;
  let ended = 0;
  let active = 0;
  let widest = 0;
  const stored: string[] = [];
  const server = createServer({
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
    ],
    onAssociation: () => void associations++,
    onAssociationEnd: () => void ended++,
    handlers: {
      async store(request) {
        widest = Math.max(widest, ++active);
        for await (const _chunk of request.dataSet);
        await new Promise((resolve) => setTimeout(resolve, 10));
        active--;
        stored.push(request.sopInstanceUid);
      },
    },
  });
  servers.push(server);
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    server,
    port,
    stored,
    get associations() {
      return associations;
    },
    get ended() {
      return ended;
    },
    get widest() {
      return widest;
    },
  };
}

function pool(port: number, extra: Partial<PoolOptions> = {}): AssociationPool {
  const created = createAssociationPool({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SCU',
    calledAeTitle: 'SCP',
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
    ],
    ...extra,
  });
  pools.push(created);
  return created;
}

function instance(index: number): StoreInstance {
  return {
    sopClassUid: SECONDARY_CAPTURE,
    sopInstanceUid: `1.2.3.${index}`,
    transferSyntaxUid: EXPLICIT,
    dataSet: new Uint8Array(32),
  };
}

describe('createAssociationPool', () => {
  it('opens at most maxAssociations and reuses them for every operation', async () => {
    const peer = await scp();
    const stores = pool(peer.port, { maxAssociations: 3 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => stores.store(instance(index))),
    );
    expect(results.every((result) => result.status === 0)).toBe(true);
    expect(peer.stored.sort()).toEqual(
      Array.from({ length: 20 }, (_, index) => `1.2.3.${index}`).sort(),
    );
    expect(peer.associations).toBe(3);
    expect(peer.widest).toBe(3);
    expect(stores.size).toBe(3);
  });

  it('releases an association that stays idle', async () => {
    const peer = await scp();
    const stores = pool(peer.port, { idleTimeout: 50 });
    await stores.echo();
    expect(stores.size).toBe(1);
    for (let wait = 0; wait < 100 && peer.ended === 0; wait++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(peer.ended).toBe(1);
    expect(stores.size).toBe(0);
    await stores.echo(); // a new one is opened
    expect(peer.associations).toBe(2);
  });

  it('drops an association the peer aborted and opens a new one for the next operation', async () => {
    const peer = await scp();
    const stores = pool(peer.port);
    await stores.echo();
    await peer.server.abortAll();
    for (let wait = 0; wait < 100 && stores.size > 0; wait++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stores.size).toBe(0);
    await expect(stores.store(instance(1))).resolves.toMatchObject({ status: 0 });
    expect(peer.associations).toBe(2);
  });

  it('waits for the running operations on close, then refuses new ones with a coded error', async () => {
    const peer = await scp();
    const stores = pool(peer.port);
    const running = stores.store(instance(1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await stores.close();
    await expect(running).resolves.toMatchObject({ status: 0 });
    expect(peer.stored).toEqual(['1.2.3.1']);
    await expect(stores.echo()).rejects.toMatchObject({ code: 'DICOMNET_DIMSE_POOL_CLOSED' });
  });

  it('gives up waiting for a free association when the signal aborts', async () => {
    const peer = await scp();
    const stores = pool(peer.port, { maxAssociations: 1 });
    const first = stores.store(instance(1));
    const controller = new AbortController();
    const second = stores.store(instance(2), { signal: controller.signal });
    controller.abort(new Error('no longer needed'));
    await expect(second).rejects.toThrow('no longer needed');
    await expect(first).resolves.toMatchObject({ status: 0 });
  });
});
