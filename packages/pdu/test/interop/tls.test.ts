import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeTlsIdentity, runTool, spawnPeer, tempDir } from '@dicomnet/test-utils';
import { Acceptor, requestAssociation } from '../../src/index.js';
import { echoRsp, readUsValues } from './raw-dimse.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';

// PS3.15 Annex B secure transport: DCMTK's TLS tools (PEERS.md §2.4) against our TLS transport.
describe('TLS with DCMTK', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let key: string;
  let cert: string;
  let certPem: Buffer;

  beforeAll(async () => {
    dir = await tempDir();
    ({ key, cert } = await makeTlsIdentity(dir.path, 'localhost'));
    certPem = await readFile(cert);
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('our requestor negotiates with storescp +tls, verifying its certificate', async () => {
    // The launcher's readiness probe speaks plain TCP, which a TLS storescp refuses: start it by
    // hand and poll with our own TLS requestor instead.
    const port = await freePort();
    const scp = await spawnPeer('storescp', [
      '+tls',
      key,
      cert,
      '-ic',
      '-od',
      dir.path,
      String(port),
    ]);
    try {
      const connect = () =>
        requestAssociation({
          callingAeTitle: 'DICOMNET',
          calledAeTitle: 'STORESCP',
          contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
          transport: { host: '127.0.0.1', port, tls: { ca: certPem }, connectTimeout: 1_000 },
        });
      let association = await connect().catch(() => undefined);
      for (let tries = 0; association === undefined && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        association = await connect().catch(() => undefined);
      }
      expect(association?.negotiated.contexts[0]?.result).toBe(0);
      await association?.release();
    } finally {
      await scp.stop();
    }
  });

  it('echoscu +tls is served by our TLS acceptor; plain TCP to it fails', async () => {
    const acceptor = new Acceptor({
      policy: { contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }] },
      onAssociation: (association) => {
        let pieces: Uint8Array[] = [];
        association.setHandlers({
          onPData: (pdu) => {
            for (const pdv of pdu.pdvs) {
              pieces.push(pdv.fragment);
              if (!pdv.isLast) continue;
              const id = readUsValues(Buffer.concat(pieces)).get(0x0110) ?? 0;
              pieces = [];
              void association.sendMessage({ presentationContextId: 1, command: echoRsp(id) });
            }
          },
        });
      },
    });
    const { port } = await acceptor.listen({
      port: 0,
      tls: { key: await readFile(key), cert: await readFile(cert) },
    });
    try {
      const timeouts = ['-to', '5', '-ta', '5', '-td', '5'];
      const secure = await runTool('echoscu', [
        ...timeouts,
        '+tla',
        '+cf',
        cert,
        '127.0.0.1',
        String(port),
      ]);
      expect(secure.code, secure.stderr).toBe(0);
      const plain = await runTool('echoscu', [...timeouts, '127.0.0.1', String(port)]);
      expect(plain.code).toBe(1);
    } finally {
      await acceptor.abortAll();
      await acceptor.close();
    }
  });
});
