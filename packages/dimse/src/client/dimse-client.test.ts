import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataSet } from '@dicomnet/data';
import { connect } from './connect.js';
import { createServer } from '../server/dimse-server.js';
import type { DimseServer } from '../server/dimse-server.js';
import type { DimseHandlers } from '../services/handlers.js';
import type { DimseMessageEvent } from '../diagnostics.js';
import { DIMSE_DIAGNOSTICS_CHANNELS } from '../diagnostics.js';

const VERIFICATION = '1.2.840.10008.1.1';
const COMMITMENT = '1.2.840.10008.1.20.1';
const COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';

const servers: DimseServer[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(async (server) => {
      await server.abortAll();
      await server.close();
    }),
  );
});

async function serve(handlers: DimseHandlers, maxPduLength = 16384) {
  const server = createServer({
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      {
        abstractSyntax: COMMITMENT,
        transferSyntaxes: [EXPLICIT, IMPLICIT],
        requestorRoles: { scu: true, scp: true },
      },
      { abstractSyntax: CT, transferSyntaxes: [EXPLICIT] },
    ],
    handlers,
    maxPduLength,
  });
  servers.push(server);
  const { port } = await server.listen({ port: 0 });
  return port;
}

const open = (port: number, extra: object = {}) =>
  connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SCU',
    calledAeTitle: 'SCP',
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      { abstractSyntax: COMMITMENT, transferSyntaxes: [EXPLICIT], roles: { scu: true, scp: true } },
      { abstractSyntax: CT, transferSyntaxes: [EXPLICIT] },
    ],
    ...extra,
  });

describe('DimseClient and createServer', () => {
  it('echoes', async () => {
    const client = await open(await serve({}));
    await expect(client.echo()).resolves.toMatchObject({ status: 0, category: 'Success' });
    await client.release();
  });

  it('streams a C-STORE data set to the handler, intact, across many PDUs', async () => {
    const received: Buffer[] = [];
    const port = await serve(
      {
        async store(request) {
          const chunks: Uint8Array[] = [];
          for await (const chunk of request.dataSet) chunks.push(chunk);
          received.push(Buffer.concat(chunks));
          return request.sopInstanceUid === '1.2.3.4'
            ? 0x0000
            : { status: 0xb000, errorComment: 'coerced' };
        },
      },
      4096,
    );
    const client = await open(port);
    const data = Buffer.alloc(100_000, 7);
    let progress = 0;
    const result = await client.store(
      { sopClassUid: CT, sopInstanceUid: '1.2.3.4', transferSyntaxUid: EXPLICIT, dataSet: data },
      { onProgress: (bytes) => (progress = bytes) },
    );
    expect(result.status).toBe(0);
    expect(progress).toBe(100_000);
    expect(received[0]?.equals(data)).toBe(true);
    const warning = await client.store({
      sopClassUid: CT,
      sopInstanceUid: '1.2.3.5',
      transferSyntaxUid: EXPLICIT,
      dataSet: data,
    });
    expect(warning).toMatchObject({ status: 0xb000, category: 'Warning', errorComment: 'coerced' });
    // Implicit VR was not accepted: the data set is converted to Explicit VR first, and these
    // bytes, which are no data set, fail before anything is sent.
    await expect(
      client.store({
        sopClassUid: CT,
        sopInstanceUid: '1.2.3.6',
        transferSyntaxUid: IMPLICIT,
        dataSet: data,
      }),
    ).rejects.toMatchObject({ code: 'DICOMNET_DATASET_MALFORMED' });
    // A compressed syntax is never converted.
    await expect(
      client.store({
        sopClassUid: CT,
        sopInstanceUid: '1.2.3.7',
        transferSyntaxUid: '1.2.840.10008.1.2.4.50',
        dataSet: data,
      }),
    ).rejects.toMatchObject({ code: 'DICOMNET_DIMSE_NO_CONTEXT' });
    await expect(client.echo()).resolves.toMatchObject({ status: 0 });
    await client.release();
  });

  it('turns a failure status into DimseStatusError and a throwing handler into 0xC000', async () => {
    const port = await serve({
      async store(request) {
        if (request.sopInstanceUid === '9') throw new Error('disk on fire');
        return { status: 0xa700, errorComment: 'full' };
      },
    });
    const client = await open(port);
    const instance = { sopClassUid: CT, transferSyntaxUid: EXPLICIT, dataSet: Buffer.alloc(10) };
    await expect(client.store({ ...instance, sopInstanceUid: '8' })).rejects.toMatchObject({
      code: 'DICOMNET_DIMSE_FAILURE_STATUS',
      status: 0xa700,
      meaning: expect.stringMatching(/out of resources/i),
    });
    await expect(client.store({ ...instance, sopInstanceUid: '9' })).rejects.toMatchObject({
      status: 0xc000,
    });
    await client.release();
  });

  it('runs storage commitment: N-ACTION, then N-EVENT-REPORT from the SCP on the same association', async () => {
    const transaction = '1.2.826.0.1.3680043.2.1125.1';
    const reports: DataSet[] = [];
    let reportAnswered: Promise<unknown> | undefined;
    const port = await serve({
      async action(request) {
        expect(request.actionTypeId).toBe(1);
        const information = request.actionInformation ?? {};
        // Report once our N-ACTION-RSP is on its way, as the standard has it (PS3.4 J.3.3).
        reportAnswered = request.responded.then((sent): Promise<unknown> | string =>
          sent
            ? request.peer.eventReport({
                sopClassUid: COMMITMENT,
                sopInstanceUid: COMMITMENT_INSTANCE,
                eventTypeId: 1,
                eventInformation: { '00081195': information['00081195'] ?? { vr: 'UI' } },
              })
            : 'not sent',
        );
      },
    });
    // What crossed the wire, in the order the client read it.
    const received: string[] = [];
    const onReceived = (event: unknown): void => {
      const kind = (event as DimseMessageEvent).kind;
      if (kind === 'N-ACTION-RSP' || kind === 'N-EVENT-REPORT-RQ') received.push(kind);
    };
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
    let reported: (() => void) | undefined;
    const done = new Promise<void>((resolve) => (reported = resolve));
    try {
      const client = await open(port, {
        handlers: {
          eventReport(request: { eventInformation: DataSet | undefined; eventTypeId: number }) {
            reports.push(request.eventInformation ?? {});
            reported?.();
          },
        },
      });
      const result = await client.action({
        sopClassUid: COMMITMENT,
        sopInstanceUid: COMMITMENT_INSTANCE,
        actionTypeId: 1,
        actionInformation: {
          '00081195': { vr: 'UI', Value: [transaction] },
          '00081199': {
            vr: 'SQ',
            Value: [
              { '00081150': { vr: 'UI', Value: [CT] }, '00081155': { vr: 'UI', Value: ['1.2.3'] } },
            ],
          },
        },
      });
      expect(result.status).toBe(0);
      await done;
      expect(reports[0]?.['00081195']?.Value).toEqual([transaction]);
      await expect(reportAnswered).resolves.toMatchObject({ status: 0 });
      expect(received).toEqual(['N-ACTION-RSP', 'N-EVENT-REPORT-RQ']);
      await client.release();
    } finally {
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
    }
  });

  it('resolves `responded` with false when the association ends before the response is sent', async () => {
    let responded: Promise<boolean> | undefined;
    let entered: (() => void) | undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const port = await serve({
      async action(request) {
        responded = request.responded;
        entered?.();
        // Never answers until the association is gone.
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
      },
    });
    const client = await open(port);
    const action = client
      .action({ sopClassUid: COMMITMENT, sopInstanceUid: COMMITMENT_INSTANCE, actionTypeId: 1 })
      .catch((error: unknown) => error);
    await inHandler;
    await client.abort();
    await action;
    await expect(responded).resolves.toBe(false);
  });

  it('carries the Annex C companions of an N-ACTION-RSP: Attribute Identifier List, Action Type ID', async () => {
    const replies = [
      { status: 0x0120, attributeIdentifierList: [0x00080415] }, // PS3.7 C.5.13
      { status: 0x0123 }, // C.5.24: Action Type ID echoed
      { status: 0x0212, errorComment: 'level PATIENT' }, // PS3.4 Table KK.2.2.3-1
      { status: 0xb010, attributeIdentifierList: [0x00081030] },
    ];
    let next = 0;
    const port = await serve({ action: () => replies[next++] });
    const client = await open(port);
    const target = { sopClassUid: COMMITMENT, sopInstanceUid: COMMITMENT_INSTANCE };
    await expect(client.action({ ...target, actionTypeId: 13 })).rejects.toMatchObject({
      status: 0x0120,
      details: { attributeIdentifierList: [0x00080415] },
    });
    await expect(client.action({ ...target, actionTypeId: 16 })).rejects.toMatchObject({
      status: 0x0123,
      details: { actionTypeId: 16, affectedSopInstanceUid: COMMITMENT_INSTANCE },
    });
    await expect(client.action({ ...target, actionTypeId: 11 })).rejects.toMatchObject({
      status: 0x0212,
      details: { errorComment: 'level PATIENT' },
    });
    const warning = await client.action({ ...target, actionTypeId: 11 });
    expect(warning.status).toBe(0xb010);
    expect(warning.attributeIdentifierList).toEqual([0x00081030]);
    await client.release();
  });

  it('answers an N-ACTION whose data set is in an unknown character set 0x0212 Mistyped argument', async () => {
    let reached = false;
    const port = await serve({
      action: () => {
        reached = true;
      },
    });
    const client = await open(port);
    await expect(
      client.action({
        sopClassUid: COMMITMENT,
        sopInstanceUid: COMMITMENT_INSTANCE,
        actionTypeId: 1,
        actionInformation: { '00080005': { vr: 'CS', Value: ['ISO_IR 999'] } },
      }),
    ).rejects.toMatchObject({ status: 0x0212 });
    expect(reached).toBe(false);
    await client.release();
  });

  it('answers an N-service without a handler with 0x0211 Unrecognized operation', async () => {
    const client = await open(await serve({}));
    await expect(
      client.nGet({ sopClassUid: COMMITMENT, sopInstanceUid: COMMITMENT_INSTANCE }),
    ).rejects.toMatchObject({
      status: 0x0211,
    });
    await client.release();
  });

  it('times out a request the peer never answers, and the association stays usable', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const port = await serve({ echo: () => gate.then(() => 0) });
    const client = await open(port, { dimseTimeout: 50 });
    await expect(client.echo()).rejects.toMatchObject({ code: 'DICOMNET_DIMSE_TIMEOUT' });
    release?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(client.echo()).resolves.toMatchObject({ status: 0 });
    await client.release();
  });

  it('refuses a request whose signal is aborted, and sends one whose signal is live', async () => {
    const client = await open(await serve({}));
    const reason = new Error('given up');
    const sent: number[] = [];
    const onSent = (message: unknown): void => {
      const event = message as DimseMessageEvent; // what this channel publishes
      if (event.kind === 'C-ECHO-RQ') sent.push(event.messageId);
    };
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, onSent);
    try {
      await expect(client.echo({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      const live = new AbortController();
      await expect(client.echo({ signal: live.signal })).resolves.toMatchObject({ status: 0 });
      expect(sent).toHaveLength(1);
    } finally {
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, onSent);
    }
    await client.release();
  });

  it("calls a store's onWritten once, with the error when nothing was written", async () => {
    const port = await serve({
      async store(request) {
        for await (const _chunk of request.dataSet);
        return request.sopInstanceUid === '1.2.3.2' ? { status: 0xa700 } : 0;
      },
    });
    const client = await open(port);
    const calls: string[] = [];
    const progress: number[] = [];
    const store = (uid: string, sopClassUid = CT) =>
      client.store(
        {
          sopClassUid,
          sopInstanceUid: uid,
          transferSyntaxUid: EXPLICIT,
          dataSet: new Uint8Array(20_000),
        },
        {
          onWritten: (error) => calls.push(error ? `${uid} not written` : uid),
          onProgress: (bytes) => progress.push(bytes),
        },
      );
    await expect(store('1.2.3.1')).resolves.toMatchObject({ status: 0 });
    await expect(store('1.2.3.2')).rejects.toMatchObject({ code: 'DICOMNET_DIMSE_FAILURE_STATUS' });
    // No context for the SOP class: nothing is sent.
    await expect(store('1.2.3.3', '1.2.840.10008.5.1.4.1.1.4')).rejects.toMatchObject({
      code: 'DICOMNET_DIMSE_NO_CONTEXT',
    });
    await client.abort();
    await expect(store('1.2.3.4')).rejects.toThrow();
    await new Promise(setImmediate);
    expect(calls).toEqual(['1.2.3.1', '1.2.3.2', '1.2.3.3 not written', '1.2.3.4 not written']);
    // A data set in memory: one progress call with the total, once written; none when not.
    expect(progress).toEqual([20_000, 20_000]);
  });
});
