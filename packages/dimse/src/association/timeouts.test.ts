import { afterEach, describe, expect, it } from 'vitest';
import type { DataSet } from '@dicomnet/data';
import { connect } from '../client/connect.js';
import type { DimseClient } from '../client/dimse-client.js';
import { createServer } from '../server/dimse-server.js';
import type { DimseServer } from '../server/dimse-server.js';
import type { DimseHandlers } from '../services/handlers.js';

// The DIMSE timeouts share one timer per association and the idle timer is re-armed only when
// it fires (outgoing-requests.ts, dimse-association.ts): these check that the deadlines still
// are per request, restart on Pending responses, and that traffic still holds the idle release.

const VERIFICATION = '1.2.840.10008.1.1';
const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const IMPLICIT = '1.2.840.10008.1.2';

const servers: DimseServer[] = [];
const clients: DimseClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.abort()));
  await Promise.all(
    servers.splice(0).map(async (server) => {
      await server.abortAll();
      await server.close();
    }),
  );
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function open(handlers: DimseHandlers, limits: object): Promise<DimseClient> {
  const contexts = [
    { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
    { abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [IMPLICIT] },
  ];
  const server = createServer({ contexts, handlers });
  servers.push(server);
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  const client = await connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SCU',
    calledAeTitle: 'SCP',
    contexts,
    ...limits,
  });
  clients.push(client);
  return client;
}

function match(index: number): DataSet {
  return { '00200013': { vr: 'IS', Value: [String(index)] } };
}

const query = {
  sopClassUid: STUDY_ROOT_FIND,
  identifier: { '00080052': { vr: 'CS', Value: ['IMAGE'] } },
} as const;

describe('DIMSE timeouts on one timer', () => {
  it('restarts a request’s timeout on each Pending response', async () => {
    const client = await open(
      {
        async *find() {
          for (let index = 1; index <= 6; index++) {
            await sleep(60);
            yield match(index);
          }
        },
      },
      { dimseTimeout: 250 },
    );
    const seen: DataSet[] = [];
    for await (const found of client.find(query)) seen.push(found);
    // 360 ms in all, longer than the timeout, but never 250 ms without a response.
    expect(seen).toHaveLength(6);
  });

  it('times a request out when the gap between its responses passes the timeout', async () => {
    const client = await open(
      {
        async *find() {
          yield match(1);
          await sleep(600);
          yield match(2);
        },
      },
      { dimseTimeout: 100 },
    );
    const seen: DataSet[] = [];
    await expect(
      (async () => {
        for await (const found of client.find(query)) seen.push(found);
      })(),
    ).rejects.toMatchObject({ code: 'DICOMNET_DIMSE_TIMEOUT' });
    expect(seen).toHaveLength(1);
  });

  it('gives each request its own deadline: answered requests never time out later ones', async () => {
    let stall = false;
    const client = await open(
      {
        echo: async () => {
          if (stall) await sleep(1000);
          return 0;
        },
      },
      { dimseTimeout: 200 },
    );
    // Echoes for longer than the timeout: the timer armed for the first one must not fire for
    // any of them.
    const started = performance.now();
    let count = 0;
    while (performance.now() - started < 500 && count < 10_000) {
      await expect(client.echo()).resolves.toMatchObject({ status: 0 });
      count++;
    }
    expect(count).toBeGreaterThan(1);
    stall = true;
    await expect(client.echo()).rejects.toMatchObject({ code: 'DICOMNET_DIMSE_TIMEOUT' });
  });
});

describe('the idle timeout on one timer', () => {
  it('holds the association while messages keep coming, releases it once they stop', async () => {
    const client = await open({}, { idleTimeout: 300 });
    let closed = false;
    void client.closed.then(() => (closed = true));
    // 600 ms of echoes 60 ms apart: never 300 ms idle.
    for (let index = 0; index < 10; index++) {
      await expect(client.echo()).resolves.toMatchObject({ status: 0 });
      await sleep(60);
    }
    expect(closed).toBe(false);
    const released = await Promise.race([
      client.closed.then(() => true),
      sleep(3000).then(() => false),
    ]);
    expect(released).toBe(true);
    expect(client.error).toBeUndefined();
  });
});
