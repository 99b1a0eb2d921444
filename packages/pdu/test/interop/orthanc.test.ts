import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrthanc } from '@dicomnet/test-utils';
import type { OrthancPeer } from '@dicomnet/test-utils';
import { Acceptor, requestAssociation } from '../../src/index.js';
import type { Association, NegotiatedAssociation, PDataTf } from '../../src/index.js';
import { echoRq, echoRsp, readUsValues } from './raw-dimse.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';

function onCommand(association: Association, handle: (command: Map<number, number>) => void): void {
  let pieces: Uint8Array[] = [];
  association.setHandlers({
    onPData: (pdu: PDataTf) => {
      for (const pdv of pdu.pdvs) {
        pieces.push(pdv.fragment);
        if (pdv.isCommand && pdv.isLast) {
          handle(readUsValues(Buffer.concat(pieces)));
          pieces = [];
        }
      }
    },
  });
}

describe('Orthanc and the Upper Layer', () => {
  let orthanc: OrthancPeer;
  let acceptor: Acceptor;
  const accepted: NegotiatedAssociation[] = [];

  beforeAll(async () => {
    acceptor = new Acceptor({
      policy: {
        calledAeTitles: ['DICOMNET'],
        contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      },
      onAssociation: (association) => {
        accepted.push(association.negotiated);
        onCommand(association, (command) => {
          const id = command.get(0x0110) ?? 0;
          void association.sendMessage({
            presentationContextId: association.negotiated.contexts[0]?.id ?? 1,
            command: echoRsp(id),
          });
        });
      },
    });
    const { port } = await acceptor.listen({ port: 0 });
    orthanc = await startOrthanc({
      modalities: {
        dicomnet: { aet: 'DICOMNET', port },
        stranger: { aet: 'STRANGER', port },
      },
    });
  });
  afterAll(async () => {
    await acceptor?.abortAll();
    await acceptor?.close();
    await orthanc?.stop();
  });

  it('our requestor is rejected by Orthanc for a wrong called AE title (1/1/7)', async () => {
    const error = await requestAssociation({
      callingAeTitle: 'DICOMNET',
      calledAeTitle: 'NOT-ORTHANC',
      contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
      transport: { host: '127.0.0.1', port: orthanc.dicomPort },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_REJECTED',
      result: 1,
      source: 1,
      reason: 7,
    });
  });

  it('our requestor is accepted by Orthanc, echoes and releases', async () => {
    const association = await requestAssociation({
      callingAeTitle: 'DICOMNET',
      calledAeTitle: orthanc.aeTitle,
      contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      transport: { host: '127.0.0.1', port: orthanc.dicomPort },
    });
    expect(association.negotiated.contexts[0]?.result).toBe(0);
    const status = new Promise<number | undefined>((resolve) =>
      onCommand(association, (command) => resolve(command.get(0x0900))),
    );
    await association.sendMessage({ presentationContextId: 1, command: echoRq(1) });
    expect(await status).toBe(0x0000);
    await association.release();
    expect(association.error).toBeUndefined();
  });

  it("Orthanc's C-ECHO reaches our acceptor and succeeds", async () => {
    await expect(
      orthanc.rest('POST', '/modalities/dicomnet/echo', { Timeout: 5 }),
    ).resolves.toBeDefined();
    expect(accepted.at(-1)).toMatchObject({ callingAeTitle: 'ORTHANC', calledAeTitle: 'DICOMNET' });
  });

  it("Orthanc's C-ECHO to an AE title our policy refuses fails", async () => {
    await expect(
      orthanc.rest('POST', '/modalities/stranger/echo', { Timeout: 5 }),
    ).rejects.toMatchObject({
      name: 'OrthancRestError',
    });
  });
});
