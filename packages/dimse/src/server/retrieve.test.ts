import type { DataSet } from '@dicomnet/data';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../client/connect.js';
import type { DimseClient, StoreInstance } from '../client/dimse-client.js';
import type { SuboperationProgress } from '../client/retrieve-results.js';
import type { DimseHandlers, StoreRequest } from '../services/handlers.js';
import { createServer } from './dimse-server.js';
import type { DimseServer, ServerOptions } from './dimse-server.js';

const STUDY_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';
const IDENTIFIER: DataSet = {
  '00080052': { vr: 'CS', Value: ['STUDY'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
};

const servers: DimseServer[] = [];
const clients: DimseClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.abort()));
  await Promise.all(
    servers.splice(0).map((server) => server.abortAll().then(() => server.close())),
  );
});

/** Instances whose data set is a few distinct bytes: the SCPs here never decode them. */
function instances(count: number): StoreInstance[] {
  return Array.from({ length: count }, (_, index) => ({
    sopClassUid: SECONDARY_CAPTURE,
    sopInstanceUid: `1.2.3.4.${index + 1}`,
    transferSyntaxUid: EXPLICIT,
    dataSet: new Uint8Array(Buffer.from(`instance ${index + 1} `.padEnd(64, '.'))),
  }));
}

/** A store handler that keeps what it receives, refusing the UIDs in `refuse`. */
function receiver(refuse: ReadonlySet<string> = new Set()) {
  const received = new Map<string, Buffer>();
  const originators: StoreRequest['moveOriginator'][] = [];
  const store = async (request: StoreRequest) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of request.dataSet) chunks.push(chunk);
    originators.push(request.moveOriginator);
    if (refuse.has(request.sopInstanceUid)) return 0xa700;
    received.set(request.sopInstanceUid, Buffer.concat(chunks));
    return 0;
  };
  return { received, originators, store };
}

async function serve(handlers: DimseHandlers, extra: Partial<ServerOptions> = {}) {
  const server = createServer({
    aeTitles: ['QR'],
    contexts: [
      { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: STUDY_ROOT_MOVE, transferSyntaxes: [EXPLICIT] },
      {
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [EXPLICIT],
        requestorRoles: { scu: true, scp: true },
      },
    ],
    handlers,
    ...extra,
  });
  servers.push(server);
  return (await server.listen({ port: 0, host: '127.0.0.1' })).port;
}

async function open(port: number): Promise<DimseClient> {
  const client = await connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SCU',
    calledAeTitle: 'QR',
    contexts: [
      { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: STUDY_ROOT_MOVE, transferSyntaxes: [EXPLICIT] },
      // PS3.4 C.4.3.1: the C-GET SCU takes the SCP role for the storage SOP classes.
      {
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [EXPLICIT],
        roles: { scu: false, scp: true },
      },
    ],
  });
  clients.push(client);
  return client;
}

/** Runs a retrieve to its end: every progress step and the result. */
async function drain<R>(run: AsyncGenerator<SuboperationProgress, R>) {
  const steps: SuboperationProgress[] = [];
  let next = await run.next();
  while (next.done !== true) {
    steps.push(next.value);
    next = await run.next();
  }
  return { steps, result: next.value };
}

describe('C-GET through createServer', () => {
  it('sends each instance back on the association, with Pending counts and a final Success', async () => {
    const sent = instances(5);
    let asked: DataSet | undefined;
    const client = await open(
      await serve({
        get(request) {
          asked = request.identifier;
          return sent;
        },
      }),
    );
    const { received, store } = receiver();
    const { steps, result } = await drain(
      client.get({ sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER }, { store }),
    );
    expect(asked).toEqual(IDENTIFIER);
    expect([...received.keys()]).toEqual(sent.map((instance) => instance.sopInstanceUid));
    for (const instance of sent)
      expect(received.get(instance.sopInstanceUid)).toEqual(
        Buffer.from(instance.dataSet as Uint8Array),
      );
    expect(steps.at(-1)).toMatchObject({ remaining: 0, completed: 5 });
    expect(result).toMatchObject({ status: 0, completed: 5, failed: 0, warning: 0 });
  });

  it('answers Warning 0xB000 with the Failed SOP Instance UID List when some fail', async () => {
    const sent = instances(4);
    const client = await open(await serve({ get: () => ({ total: 4, instances: sent }) }));
    const { store } = receiver(new Set(['1.2.3.4.2', '1.2.3.4.4']));
    const { result } = await drain(
      client.get({ sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER }, { store }),
    );
    expect(result).toMatchObject({
      status: 0xb000,
      completed: 2,
      failed: 2,
      failedSopInstanceUids: ['1.2.3.4.2', '1.2.3.4.4'],
    });
  });

  it('answers 0xA702 when every sub-operation fails', async () => {
    const client = await open(await serve({ get: () => instances(2) }));
    const { store } = receiver(new Set(['1.2.3.4.1', '1.2.3.4.2']));
    await expect(
      drain(client.get({ sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER }, { store })),
    ).rejects.toMatchObject({ status: 0xa702 });
  });

  it('stops before the next instance when the peer cancels: 0xFE00', async () => {
    let taken = 0;
    const client = await open(
      await serve({
        get: () => ({
          total: 1000,
          instances: (function* () {
            for (const instance of instances(1000)) {
              taken++;
              yield instance;
            }
          })(),
        }),
      }),
    );
    const { store } = receiver();
    for await (const step of client.get(
      { sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER },
      { store },
    )) {
      if (step.completed === 3) break;
    }
    expect(taken).toBeLessThan(1000);
    // The C-GET has its final response: nothing is outstanding, so the release goes through.
    await client.release();
  });

  it('answers 0xFE00 when the handler’s instances end on its aborted signal', async () => {
    const client = await open(
      await serve({
        get: (request) => ({
          total: 1000,
          // Watches its signal instead of waiting to be stopped.
          instances: (async function* () {
            for (const instance of instances(1000)) {
              if (request.signal.aborted) return;
              yield instance;
              await new Promise((resolve) => setImmediate(resolve));
            }
          })(),
        }),
      }),
    );
    const cancel = new AbortController();
    const { received, store } = receiver();
    const counting = async (request: StoreRequest): Promise<number> => {
      const status = await store(request);
      if (received.size === 3) cancel.abort();
      return status;
    };
    const error = await (async () => {
      for await (const _step of client.get(
        { sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER },
        { store: counting, cancel: cancel.signal },
      )) {
        // progress only
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ status: 0xfe00 });
    expect((error as { completed: number }).completed).toBeLessThan(1000);
  });

  it('passes a refusal status straight through', async () => {
    const client = await open(await serve({ get: () => ({ status: 0xa900 }) }));
    await expect(
      drain(
        client.get(
          { sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER },
          { store: receiver().store },
        ),
      ),
    ).rejects.toMatchObject({ status: 0xa900 });
  });
});

describe('C-MOVE through createServer', () => {
  async function destination() {
    const { received, originators, store } = receiver();
    const port = await serve({ store }, { aeTitles: ['DEST'] });
    return { port, received, originators };
  }

  it('sends the instances to the destination on its own association, as sub-operations', async () => {
    const dest = await destination();
    const sent = instances(3);
    const port = await serve(
      { move: () => sent },
      { moveDestinations: { DEST: { host: '127.0.0.1', port: dest.port } } },
    );
    const client = await open(port);
    const { result } = await drain(
      client.move({ sopClassUid: STUDY_ROOT_MOVE, identifier: IDENTIFIER, destination: 'DEST' }),
    );
    expect(result).toMatchObject({ status: 0, completed: 3, failed: 0 });
    expect([...dest.received.keys()]).toEqual(sent.map((instance) => instance.sopInstanceUid));
    // PS3.7 §9.1.1.1.6: each sub-operation names the C-MOVE's requester and Message ID.
    expect(dest.originators).toEqual([1, 2, 3].map(() => ({ aeTitle: 'SCU', messageId: 1 })));
  });

  it('fails every sub-operation, 0xA702, when the destination cannot be reached', async () => {
    const dest = await destination();
    const port = await serve(
      { move: () => instances(3) },
      // The destination answers only to DEST: it rejects this association (PS3.8 Table 9-21).
      { moveDestinations: { ELSEWHERE: { host: '127.0.0.1', port: dest.port } } },
    );
    const client = await open(port);
    const error: unknown = await drain(
      client.move({
        sopClassUid: STUDY_ROOT_MOVE,
        identifier: IDENTIFIER,
        destination: 'ELSEWHERE',
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 0xa702 });
    expect(dest.received.size).toBe(0);
  });

  it('refuses an unknown destination with 0xA801 before asking the handler', async () => {
    let asked = false;
    const port = await serve({
      move: () => {
        asked = true;
        return [];
      },
    });
    const client = await open(port);
    await expect(
      drain(
        client.move({
          sopClassUid: STUDY_ROOT_MOVE,
          identifier: IDENTIFIER,
          destination: 'NOWHERE',
        }),
      ),
    ).rejects.toMatchObject({ status: 0xa801 });
    expect(asked).toBe(false);
  });
});
