import { afterEach, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import { createServer } from '../server/dimse-server.js';
import type { DimseServer } from '../server/dimse-server.js';
import type { DimseHandlers } from '../services/handlers.js';

// N-EVENT-REPORT-RSP companions of PS3.7 Annex C, sent by a server that is the SCU of the SOP
// class (the SCP reports events to it, PS3.7 §10.1.1).
const COMMITMENT = '1.2.840.10008.1.20.1';
const COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';
const EXPLICIT = '1.2.840.10008.1.2.1';

const servers: DimseServer[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => server.abortAll().then(() => server.close())),
  );
});

async function serve(handlers: DimseHandlers): Promise<number> {
  const server = createServer({
    contexts: [
      {
        abstractSyntax: COMMITMENT,
        transferSyntaxes: [EXPLICIT],
        requestorRoles: { scu: false, scp: true },
      },
    ],
    handlers,
  });
  servers.push(server);
  return (await server.listen({ port: 0, host: '127.0.0.1' })).port;
}

describe('N-EVENT-REPORT-RSP companions', () => {
  it('carries Attribute Identifier List with 0120H and Event Type ID with 0113H', async () => {
    const replies = [
      { status: 0x0120, attributeIdentifierList: [0x00081195] }, // PS3.7 C.5.13
      { status: 0x0113 }, // C.5.18: Event Type ID echoed
      { status: 0x0000 },
    ];
    let next = 0;
    const port = await serve({ eventReport: () => replies[next++] });
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'SCP',
      calledAeTitle: 'SCU',
      contexts: [
        {
          abstractSyntax: COMMITMENT,
          transferSyntaxes: [EXPLICIT],
          roles: { scu: false, scp: true },
        },
      ],
    });
    const target = { sopClassUid: COMMITMENT, sopInstanceUid: COMMITMENT_INSTANCE };
    await expect(client.eventReport({ ...target, eventTypeId: 1 })).rejects.toMatchObject({
      status: 0x0120,
      details: { attributeIdentifierList: [0x00081195] },
    });
    await expect(client.eventReport({ ...target, eventTypeId: 9 })).rejects.toMatchObject({
      status: 0x0113,
      details: { eventTypeId: 9 },
    });
    const success = await client.eventReport({ ...target, eventTypeId: 1 });
    expect(success.status).toBe(0x0000);
    expect(success.attributeIdentifierList).toBeUndefined();
    await client.release();
  });
});
