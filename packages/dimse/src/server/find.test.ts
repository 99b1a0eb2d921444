import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { DataSet } from '@dicomnet/data';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../client/connect.js';
import type { DimseClient } from '../client/dimse-client.js';
import { DIMSE_DIAGNOSTICS_CHANNELS } from '../diagnostics.js';
import type { DimseMessageEvent } from '../diagnostics.js';
import { DimseStatusError } from '../errors.js';
import type { DimseHandlers, FindRequest } from '../services/handlers.js';
import { createServer } from './dimse-server.js';
import type { DimseServer } from './dimse-server.js';

const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const EXPLICIT = '1.2.840.10008.1.2.1';
const LEVEL = '00080052';
const STUDY_UID = '0020000D';

const servers: DimseServer[] = [];
const clients: DimseClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.abort()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function open(handlers: DimseHandlers): Promise<DimseClient> {
  const server = createServer({
    contexts: [{ abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT] }],
    handlers,
  });
  servers.push(server);
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  const client = await connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SCU',
    calledAeTitle: 'SCP',
    contexts: [{ abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT] }],
  });
  clients.push(client);
  return client;
}

const query = {
  sopClassUid: STUDY_ROOT_FIND,
  identifier: { [LEVEL]: { vr: 'CS', Value: ['STUDY'] }, [STUDY_UID]: { vr: 'UI' } },
};

function study(index: number): DataSet {
  return {
    [LEVEL]: { vr: 'CS', Value: ['STUDY'] },
    [STUDY_UID]: { vr: 'UI', Value: [`1.2.${index}`] },
  };
}

async function all(client: DimseClient): Promise<DataSet[]> {
  const found: DataSet[] = [];
  for await (const match of client.find(query)) found.push(match);
  return found;
}

describe('C-FIND through createServer', () => {
  it('sends each match the handler yields as Pending, then its final status', async () => {
    let seen: FindRequest | undefined;
    const client = await open({
      async *find(request) {
        seen = request;
        for (let index = 1; index <= 50; index++) yield study(index);
        return { status: 0x0000 };
      },
    });
    const found = await all(client);
    expect(found).toEqual(Array.from({ length: 50 }, (_, index) => study(index + 1)));
    expect(seen?.identifier).toEqual(query.identifier);
    expect(seen?.sopClassUid).toBe(STUDY_ROOT_FIND);
  });

  it('takes a match from the handler only once the previous one is written', async () => {
    // 400 matches of 64 KiB: far more than the socket buffers hold between the two sides.
    const text = 'x'.repeat(64 * 1024);
    const big = (index: number): DataSet => ({
      ...study(index),
      '00081030': { vr: 'UT', Value: [text] },
    });
    let taken = 0;
    const client = await open({
      *find() {
        for (let index = 1; index <= 400; index++) {
          taken++;
          yield big(index);
        }
      },
    });
    const results = client.find(query, { highWaterMark: 1 });
    await results.next();
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(taken).toBeLessThan(400);
    let rest = 0;
    for await (const _match of results) rest++;
    expect(rest).toBe(399);
    expect(taken).toBe(400);
  });

  it('stops the handler and answers 0xFE00 when the peer cancels', async () => {
    let aborted = false;
    let cleanedUp = false;
    const events: DimseMessageEvent[] = [];
    const record = (event: unknown): void => void events.push(event as DimseMessageEvent);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    try {
      const client = await open({
        async *find(request) {
          request.signal.addEventListener('abort', () => (aborted = true));
          try {
            for (let index = 1; ; index++) yield study(index); // endless
          } finally {
            cleanedUp = true;
          }
        },
      });
      let count = 0;
      for await (const _match of client.find(query, { highWaterMark: 1 })) if (++count === 5) break;
      expect(aborted).toBe(true);
      expect(cleanedUp).toBe(true);
      const finals = events.filter(
        (event) => event.kind === 'C-FIND-RSP' && event.status !== 0xff00,
      );
      expect(finals.map((event) => event.status)).toEqual([0xfe00]);
    } finally {
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    }
  });

  it('answers 0xFE00 when the handler ends by itself once the peer cancelled', async () => {
    const events: DimseMessageEvent[] = [];
    const record = (event: unknown): void => void events.push(event as DimseMessageEvent);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    try {
      const client = await open({
        async *find(request) {
          // A handler that watches its signal rather than relying on return().
          for (let index = 1; !request.signal.aborted; index++) {
            yield study(index);
            await new Promise((resolve) => setImmediate(resolve));
          }
        },
      });
      let count = 0;
      for await (const _match of client.find(query, { highWaterMark: 1 })) if (++count === 3) break;
      const finals = events.filter(
        (event) => event.kind === 'C-FIND-RSP' && event.status !== 0xff00,
      );
      expect(finals.map((event) => event.status)).toEqual([0xfe00]);
    } finally {
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    }
  });

  it('answers 0xC000 Unable to process when the handler throws after some matches', async () => {
    const client = await open({
      async *find() {
        yield study(1);
        yield study(2);
        throw new Error('index unavailable');
      },
    });
    const found: DataSet[] = [];
    const error: unknown = await (async () => {
      for await (const match of client.find(query)) found.push(match);
    })().catch((caught: unknown) => caught);
    expect(found).toEqual([study(1), study(2)]);
    expect(error).toBeInstanceOf(DimseStatusError);
    expect(error).toMatchObject({ status: 0xc000, details: { errorComment: 'index unavailable' } });
  });

  it('answers the failure status the handler returns, with its companion fields', async () => {
    const client = await open({
      // eslint-disable-next-line require-yield -- refuses before any match
      async *find() {
        return { status: 0xa900, offendingElement: [0x00100010] };
      },
    });
    await expect(all(client)).rejects.toMatchObject({
      status: 0xa900,
      details: { offendingElement: [0x00100010] },
    });
  });

  it('answers 0x0122 SOP Class not supported without a find handler', async () => {
    const client = await open({});
    await expect(all(client)).rejects.toMatchObject({ status: 0x0122 });
  });
});
