import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DIAGNOSTICS_CHANNELS } from '../diagnostics.js';
import { Acceptor } from './acceptor.js';
import { requestAssociation } from './request-association.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a listening acceptor', () => {
  it("reports its server's errors on dicomnet:pdu:acceptor-error and keeps serving", async () => {
    const servers: net.Server[] = [];
    const createServer = net.createServer.bind(net);
    vi.spyOn(net, 'createServer').mockImplementation(((
      ...args: Parameters<typeof net.createServer>
    ) => {
      const server = createServer(...args);
      servers.push(server);
      return server;
    }) as typeof net.createServer);
    const acceptor = new Acceptor({
      policy: { contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }] },
      onAssociation: (association) => void association.release().catch(() => {}),
    });
    const { port } = await acceptor.listen({ port: 0 });
    const published: unknown[] = [];
    const record = (message: unknown): void => void published.push(message);
    subscribe(DIAGNOSTICS_CHANNELS.acceptorError, record);
    try {
      // What Node's server emits when accept() fails (e.g. EMFILE under a connection flood).
      const error = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
      servers[0]?.emit('error', error);
      expect(published).toEqual([{ error }]);
      const association = await requestAssociation({
        callingAeTitle: 'PEER',
        calledAeTitle: 'SUBJECT',
        contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
        transport: { host: '127.0.0.1', port },
      });
      await association.closed;
      expect(association.error).toBeUndefined();
    } finally {
      unsubscribe(DIAGNOSTICS_CHANNELS.acceptorError, record);
      await acceptor.close();
    }
  });
});
