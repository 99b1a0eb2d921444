import type { DataSet } from '@dicomnet/data';
import { afterEach, describe, expect, it } from 'vitest';
import type { CGetRsp, CMoveRsp } from '../command/index.js';
import { DimseStatusError, RetrieveStatusError } from '../errors.js';
import { createServer } from '../server/dimse-server.js';
import type { DimseServer } from '../server/dimse-server.js';
import type { DimseHandlers, StoreRequest } from '../services/handlers.js';
import { connect } from './connect.js';
import type { DimseClient, StoreInstance } from './dimse-client.js';
import { retrieveResultOf } from './retrieve-results.js';

const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';
const VERIFICATION = '1.2.840.10008.1.1';
const FAILED_LIST = '00080058';
const IDENTIFIER: DataSet = {
  '00080052': { vr: 'CS', Value: ['STUDY'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
};

function getRsp(fields: Partial<CGetRsp> & { status: number }): CGetRsp {
  return { kind: 'C-GET-RSP', messageIdBeingRespondedTo: 1, hasDataSet: false, ...fields };
}

describe('retrieveResultOf', () => {
  it('throws a RetrieveStatusError with the counts of a Cancel response (PS3.4 C.4.3.3.1)', () => {
    const message = getRsp({
      status: 0xfe00,
      numberOfRemainingSuboperations: 7,
      numberOfCompletedSuboperations: 2,
      numberOfFailedSuboperations: 1,
      numberOfWarningSuboperations: 0,
      hasDataSet: true,
    });
    const identifier: DataSet = { [FAILED_LIST]: { vr: 'UI', Value: ['1.2.3.4.3'] } };
    let caught: unknown;
    try {
      retrieveResultOf('C-GET', message, identifier, 'QueryRetrieveGet');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RetrieveStatusError);
    expect(caught).toBeInstanceOf(DimseStatusError);
    expect(caught).toMatchObject({
      code: 'DICOMNET_DIMSE_FAILURE_STATUS',
      status: 0xfe00,
      category: 'Cancel',
      remaining: 7,
      completed: 2,
      failed: 1,
      warning: 0,
      failedSopInstanceUids: ['1.2.3.4.3'],
    });
    expect((caught as Error).message).toMatch(/2 completed, 1 failed, 0 warning, 7 remaining$/);
  });

  it('keeps the Error Comment and the counts of a Failure (0xA702, all failed)', () => {
    const message: CMoveRsp = {
      kind: 'C-MOVE-RSP',
      messageIdBeingRespondedTo: 1,
      status: 0xa702,
      numberOfCompletedSuboperations: 0,
      numberOfFailedSuboperations: 2,
      numberOfWarningSuboperations: 0,
      errorComment: 'destination refused',
      hasDataSet: true,
    };
    const identifier: DataSet = { [FAILED_LIST]: { vr: 'UI', Value: ['1.2.1', '1.2.2'] } };
    expect(() => retrieveResultOf('C-MOVE', message, identifier, 'QueryRetrieveMove')).toThrowError(
      expect.objectContaining({
        status: 0xa702,
        remaining: undefined,
        failed: 2,
        failedSopInstanceUids: ['1.2.1', '1.2.2'],
        details: { errorComment: 'destination refused' },
      }) as Error,
    );
  });

  it('returns the counts of a Warning as a result, absent counts as 0', () => {
    const result = retrieveResultOf(
      'C-GET',
      getRsp({ status: 0xb000, numberOfCompletedSuboperations: 3, numberOfFailedSuboperations: 1 }),
      { [FAILED_LIST]: { vr: 'UI', Value: ['1.9'] } },
      'QueryRetrieveGet',
    );
    expect(result).toMatchObject({
      status: 0xb000,
      category: 'Warning',
      remaining: undefined,
      completed: 3,
      failed: 1,
      warning: 0,
      failedSopInstanceUids: ['1.9'],
    });
  });
});

const servers: DimseServer[] = [];
const clients: DimseClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.abort()));
  await Promise.all(
    servers.splice(0).map((server) => server.abortAll().then(() => server.close())),
  );
});

function instances(count: number): StoreInstance[] {
  return Array.from({ length: count }, (_, index) => ({
    sopClassUid: SECONDARY_CAPTURE,
    sopInstanceUid: `1.2.3.4.${index + 1}`,
    transferSyntaxUid: EXPLICIT,
    dataSet: new Uint8Array(Buffer.from(`instance ${index + 1} `.padEnd(64, '.'))),
  }));
}

async function open(handlers: DimseHandlers): Promise<DimseClient> {
  const server = createServer({
    aeTitles: ['QR'],
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT] },
      {
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [EXPLICIT],
        requestorRoles: { scu: true, scp: true },
      },
    ],
    handlers,
  });
  servers.push(server);
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  const client = await connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SCU',
    calledAeTitle: 'QR',
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT] },
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

describe('the cancel option', () => {
  it('ends a C-GET with the peer’s Cancel and its counts, not with an abort reason', async () => {
    let served = 0;
    const client = await open({
      get: () => ({ total: 50, instances: instances(50) }),
    });
    const cancel = new AbortController();
    const store = async (request: StoreRequest): Promise<number> => {
      for await (const _chunk of request.dataSet) {
        // read and drop
      }
      if (++served === 3) cancel.abort(new Error('enough'));
      return 0;
    };
    const run = async (): Promise<void> => {
      for await (const _step of client.get(
        { sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER },
        { store, cancel: cancel.signal },
      )) {
        // progress only
      }
    };
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RetrieveStatusError);
    const counts = error as RetrieveStatusError;
    expect(counts.status).toBe(0xfe00);
    // The peer stops before the next instance (PS3.4 C.4.3.3.1); what it counted arrived here.
    expect(counts.completed).toBe(served);
    expect(counts.completed).toBeLessThan(50);
    expect(counts.remaining).toBe(50 - served);
    expect((await client.echo()).status).toBe(0);
  });

  it('ends a C-FIND with the peer’s Cancel, having yielded what came before it', async () => {
    const client = await open({
      // The server stops taking matches once the C-CANCEL-RQ is in (PS3.4 C.4.1.3.2).
      async *find() {
        for (let index = 0; index < 1000; index++) {
          yield { '00100020': { vr: 'LO', Value: [`P${index}`] } };
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      },
    });
    const cancel = new AbortController();
    let seen = 0;
    const run = async (): Promise<void> => {
      for await (const _match of client.find(
        { sopClassUid: STUDY_ROOT_FIND, identifier: IDENTIFIER },
        { cancel: cancel.signal },
      )) {
        if (++seen === 3) cancel.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({
      code: 'DICOMNET_DIMSE_FAILURE_STATUS',
      status: 0xfe00,
    });
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(seen).toBeLessThan(1000);
    expect((await client.echo()).status).toBe(0);
  });

  it('gives a C-GET every sub-operation of which failed a RetrieveStatusError with the list', async () => {
    const client = await open({ get: () => instances(2) });
    const run = async (): Promise<void> => {
      for await (const _step of client.get(
        { sopClassUid: STUDY_ROOT_GET, identifier: IDENTIFIER },
        {
          async store(request) {
            for await (const _chunk of request.dataSet) {
              // read and drop
            }
            return 0xa700;
          },
        },
      )) {
        // progress only
      }
    };
    await expect(run()).rejects.toMatchObject({
      status: 0xa702,
      completed: 0,
      failed: 2,
      failedSopInstanceUids: ['1.2.3.4.1', '1.2.3.4.2'],
    });
  });
});
