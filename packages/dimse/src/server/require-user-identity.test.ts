// ServerOptions.requireUserIdentity over real TCP: an anonymous peer gets A-ASSOCIATE-RJ 1/1/1
// before any handler runs, a verified one is served.
import type { UserIdentityRequest } from '@dicomnet/pdu';
import { UserIdentityType } from '@dicomnet/pdu';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../client/connect.js';
import type { DimseServer } from './dimse-server.js';
import { createServer } from './dimse-server.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';

const identity = (name: string): UserIdentityRequest => ({
  identityType: UserIdentityType.Username,
  positiveResponseRequested: false,
  primaryField: new TextEncoder().encode(name),
  secondaryField: new Uint8Array(0),
});

let server: DimseServer | undefined;
afterEach(async () => {
  await server?.abortAll();
  await server?.close();
  server = undefined;
});

async function start(options: {
  readonly requireUserIdentity: boolean;
  readonly withAuthenticate: boolean;
}): Promise<{ port: number; associations: string[] }> {
  const associations: string[] = [];
  server = createServer({
    contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
    handlers: {},
    requireUserIdentity: options.requireUserIdentity,
    ...(options.withAuthenticate && {
      authenticate: (user: UserIdentityRequest) =>
        new TextDecoder().decode(user.primaryField) === 'alice',
    }),
    onAssociation: (client) => associations.push(client.negotiated.callingAeTitle),
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  return { port, associations };
}

async function echoAs(port: number, user: string | undefined): Promise<unknown> {
  try {
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: user === undefined ? 'ANONYMOUS' : user.toUpperCase(),
      calledAeTitle: 'ANY',
      contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
      connectTimeout: 5_000,
      ...(user !== undefined && { userIdentity: identity(user) }),
    });
    await client.echo();
    await client.release();
    return 'echoed';
  } catch (error) {
    return error;
  }
}

describe('createServer({ requireUserIdentity })', () => {
  it('rejects a peer without a user identity 1/1/1 and serves a verified one', async () => {
    const { port, associations } = await start({
      requireUserIdentity: true,
      withAuthenticate: true,
    });
    expect(await echoAs(port, undefined)).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_REJECTED',
      result: 1,
      source: 1,
      reason: 1,
    });
    expect(await echoAs(port, 'eve')).toMatchObject({ code: 'DICOMNET_ASSOCIATION_REJECTED' });
    expect(await echoAs(port, 'alice')).toBe('echoed');
    expect(associations).toEqual(['ALICE']);
  });

  it('without authenticate rejects every peer (fail closed)', async () => {
    const { port, associations } = await start({
      requireUserIdentity: true,
      withAuthenticate: false,
    });
    expect(await echoAs(port, 'alice')).toMatchObject({ code: 'DICOMNET_ASSOCIATION_REJECTED' });
    expect(associations).toEqual([]);
  });

  it('when not set, an anonymous peer is served (the identity is optional, PS3.7 D.3.3.7)', async () => {
    const { port } = await start({ requireUserIdentity: false, withAuthenticate: true });
    expect(await echoAs(port, undefined)).toBe('echoed');
  });
});
