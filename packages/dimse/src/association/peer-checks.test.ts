import { describe, expect, it } from 'vitest';
import { encodeCommandSet, toCommandSet } from '../command/index.js';
import {
  closedWithin,
  IMPLICIT,
  SECONDARY_CAPTURE,
  EXPLICIT,
  VERIFICATION,
  weAccept,
  weRequest,
} from '../../test/helpers/raw-peer.js';
import { echoRq } from '../../test/helpers/wire-peer.js';

// What a peer sends back is checked against what was asked (issue 13 §3, DIMSE side).

describe('responses must answer their request (PS3.7 §9.3, §10.3)', () => {
  it('a C-STORE-RSP to our C-ECHO-RQ aborts the association and rejects the echo with a coded error', async () => {
    const { ours, peer } = await weRequest({
      supported: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
      proposed: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
    });
    const context = ours.negotiated.contexts[0];
    if (context === undefined) throw new Error('no context');
    const echo = ours.invoke({ kind: 'C-ECHO-RQ', affectedSopClassUid: VERIFICATION }, { context });
    const request = await peer.next();
    expect(request.fields.commandField).toBe(0x0030);
    const wrong = encodeCommandSet(
      toCommandSet({
        kind: 'C-STORE-RSP',
        messageIdBeingRespondedTo: request.fields.messageId ?? 0,
        status: 0x0000,
        affectedSopClassUid: VERIFICATION,
        affectedSopInstanceUid: '1.2.3',
      }),
    );
    await peer.send(wrong, undefined, context.id);
    await expect(echo).rejects.toMatchObject({
      code: 'DICOMNET_DIMSE_RESPONSE_MISMATCH',
      expected: 'C-ECHO-RQ',
      received: 'C-STORE-RSP',
    });
    expect(await closedWithin(peer.association, 3_000)).toBe('closed');
    expect(peer.association.error?.code).toBe('DICOMNET_ASSOCIATION_ABORTED');
    expect(ours.error?.code).toBe('DICOMNET_DIMSE_RESPONSE_MISMATCH');
  });

  it('the matching response type is accepted', async () => {
    const { ours, peer } = await weRequest({
      supported: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
      proposed: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
    });
    const context = ours.negotiated.contexts[0];
    if (context === undefined) throw new Error('no context');
    const echo = ours.invoke({ kind: 'C-ECHO-RQ', affectedSopClassUid: VERIFICATION }, { context });
    const request = await peer.next();
    await peer.send(
      encodeCommandSet(
        toCommandSet({
          kind: 'C-ECHO-RSP',
          messageIdBeingRespondedTo: request.fields.messageId ?? 0,
          status: 0x0000,
          affectedSopClassUid: VERIFICATION,
        }),
      ),
      undefined,
      context.id,
    );
    await expect(echo).resolves.toMatchObject({ message: { kind: 'C-ECHO-RSP', status: 0 } });
    expect(ours.error).toBeUndefined();
    await ours.abort();
  });
});

describe('C-ECHO outside Verification', () => {
  it('a C-ECHO-RQ on a Storage context is refused 0x0211 Unrecognized Operation (PS3.7 C.5.23)', async () => {
    const { ours, peer } = await weAccept({
      supported: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      proposed: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
    });
    // Whether its Affected SOP Class names Verification or the context's class.
    await peer.send(echoRq(5, VERIFICATION));
    expect((await peer.next()).fields).toMatchObject({
      commandField: 0x8030,
      messageIdBeingRespondedTo: 5,
      status: 0x0211,
    });
    await peer.send(echoRq(6, SECONDARY_CAPTURE));
    expect((await peer.next()).fields).toMatchObject({
      messageIdBeingRespondedTo: 6,
      status: 0x0211,
    });
    await ours.abort();
  });
});
