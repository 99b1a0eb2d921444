import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fromHex, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import type { ProposedContext, SupportedContext } from '@dicomnet/pdu';
import type { IncomingRequest, OutgoingResponse } from './incoming-requests.js';
import {
  VERIFICATION,
  SECONDARY_CAPTURE,
  STUDY_ROOT_FIND,
  COMMITMENT,
  COMMITMENT_INSTANCE,
  IMPLICIT,
  EXPLICIT,
  ECHO_RQ_ID_5,
  ECHO_RSP_ID_5,
  EVENT_REPORT_RQ_ID_21,
  ACTION_RQ_ID_27,
  FIND_RQ_ID_9,
  STORE_RQ_ID_1,
  weAccept,
  weRequest,
  gatedEcho,
  verification,
  proposeVerification,
  closedWithin,
} from '../../test/helpers/raw-peer.js';

/** C-ECHO-RSP to Message ID 5 with 0210H Duplicate invocation (PS3.7 Table 9.3-13, C.5.9). */
const ECHO_RSP_ID_5_DUPLICATE = fromHex(`
  0000 0000 | 04000000 | 42000000                                  # (0000,0000) group length 66
  0000 0200 | 12000000 | 312e322e3834302e31303030382e312e31 00     # (0000,0002) "1.2.840.10008.1.1"
  0000 0001 | 02000000 | 3080                                      # (0000,0100) 8030H C-ECHO-RSP
  0000 2001 | 02000000 | 0500                                      # (0000,0120) responds to 5
  0000 0008 | 02000000 | 0101                                      # (0000,0800) no data set
  0000 0009 | 02000000 | 1002                                      # (0000,0900) 0210H
`);

/**
 * N-ACTION-RSP to Message ID 27 with 0213H Resource limitation (PS3.7 Table 10.3-8, C.5.22):
 * no companion fields, and no Action Type ID, which "may be included in the success response"
 * only (PS3.7 §10.1.4.1.5).
 */
const ACTION_RSP_ID_27_RESOURCE_LIMITATION = fromHex(`
  0000 0000 | 04000000 | 28000000                                  # (0000,0000) group length 40
  0000 0001 | 02000000 | 3081                                      # (0000,0100) 8130H N-ACTION-RSP
  0000 2001 | 02000000 | 1b00                                      # (0000,0120) responds to 27
  0000 0008 | 02000000 | 0101                                      # (0000,0800) no data set
  0000 0009 | 02000000 | 1302                                      # (0000,0900) 0213H
`);

describe('DimseAssociation', () => {
  it('answers a request with its dispatcher’s response, on the request’s context', async () => {
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
    });
    await peer.send(ECHO_RQ_ID_5);
    const answer = await peer.next();
    expect(answer.contextId).toBe(1);
    expect(toHex(answer.command)).toBe(toHex(ECHO_RSP_ID_5));
    await peer.association.release();
    await ours.closed;
  });

  it('sends its own Message IDs over any a JavaScript caller or dispatcher put in', async () => {
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      // A dispatcher's response with a Message ID Being Responded To of its own (any shape).
      dispatch: () =>
        Promise.resolve({
          message: {
            kind: 'C-ECHO-RSP',
            affectedSopClassUid: VERIFICATION,
            status: 0,
            messageIdBeingRespondedTo: 999,
          } as unknown as OutgoingResponse['message'],
        }),
    });
    await peer.send(ECHO_RQ_ID_5);
    expect(toHex((await peer.next()).command)).toBe(toHex(ECHO_RSP_ID_5));
    const context = ours.negotiated.contexts[0]!;
    const request = { kind: 'C-ECHO-RQ', affectedSopClassUid: VERIFICATION, messageId: 999 };
    const response = ours.invoke(request as unknown as Parameters<typeof ours.invoke>[0], {
      context,
    }); // a JavaScript caller's messageId
    const sent = await peer.next();
    expect(sent.fields.messageId).toBe(1);
    await peer.send(
      fromHex(`0000 0000 | 04000000 | 42000000
        0000 0200 | 12000000 | 312e322e3834302e31303030382e312e31 00
        0000 0001 | 02000000 | 3080
        0000 2001 | 02000000 | 0100
        0000 0008 | 02000000 | 0101
        0000 0009 | 02000000 | 0000`),
    ); // C-ECHO-RSP to Message ID 1, Success
    await expect(response).resolves.toMatchObject({ message: { messageIdBeingRespondedTo: 1 } });
    await ours.release();
  });

  it('aborts when the peer answers a Message ID we never sent; our outstanding request rejects', async () => {
    const { ours, peer } = await weRequest({
      supported: verification,
      proposed: proposeVerification,
    });
    const context = ours.negotiated.contexts[0];
    if (context === undefined) throw new Error('no context');
    const echo = ours.invoke({ kind: 'C-ECHO-RQ', affectedSopClassUid: VERIFICATION }, { context });
    const request = await peer.next();
    expect(request.fields).toMatchObject({ commandField: 0x0030, messageId: 1 });
    await peer.send(ECHO_RSP_ID_5); // answers 5, not 1
    await expect(echo).rejects.toMatchObject({ code: 'DICOMNET_DIMSE_PROTOCOL' });
    await peer.association.closed;
    expect(peer.association.error).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'peer',
    });
    await ours.closed;
  });

  it('aborts on an unsolicited response too', async () => {
    const { ours, peer } = await weRequest({
      supported: verification,
      proposed: proposeVerification,
    });
    await peer.send(ECHO_RSP_ID_5);
    await peer.association.closed;
    expect(peer.association.error?.code).toBe('DICOMNET_ASSOCIATION_ABORTED');
    await ours.closed;
  });

  it('answers a duplicate of an outstanding Message ID with 0x0210 and performs the request once', async () => {
    const gated = gatedEcho();
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gated.dispatch,
      window: 4, // with window 1 a second request while one is outstanding is aborted
    });
    await peer.send(ECHO_RQ_ID_5);
    await peer.send(ECHO_RQ_ID_5);
    const refusal = await peer.next();
    expect(toHex(refusal.command)).toBe(toHex(ECHO_RSP_ID_5_DUPLICATE));
    gated.open();
    const answer = await peer.next();
    expect(toHex(answer.command)).toBe(toHex(ECHO_RSP_ID_5));
    expect(gated.calls).toHaveLength(1);
    await peer.association.release();
    await ours.closed;
  });

  // PS3.7 C.5.9: 0210H "Message ID already used by another outstanding operation". Refusing
  // the second copy must not make our side forget the first one is still outstanding.
  it('still refuses a third copy while the first is outstanding', async () => {
    const gated = gatedEcho();
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gated.dispatch,
      window: 4, // with window 1 a second request while one is outstanding is aborted
    });
    await peer.send(ECHO_RQ_ID_5);
    await peer.send(ECHO_RQ_ID_5);
    expect((await peer.next()).fields.status).toBe(0x0210);
    await peer.send(ECHO_RQ_ID_5);
    const third = await peer.next(1_000).catch(() => undefined);
    gated.open();
    expect(third?.fields.status).toBe(0x0210);
    expect(gated.calls).toHaveLength(1);
    await ours.abort();
  });

  it('answers the outstanding request before the A-RELEASE-RP, also after refusing a duplicate', async () => {
    const gated = gatedEcho();
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gated.dispatch,
      window: 4, // with window 1 a second request while one is outstanding is aborted
    });
    await peer.send(ECHO_RQ_ID_5);
    await peer.send(ECHO_RQ_ID_5);
    expect((await peer.next()).fields.status).toBe(0x0210);
    // PS3.8 §7.2: the acceptor may still send until it answers the release.
    const released = peer.association.release();
    setTimeout(gated.open, 50);
    await released;
    expect(peer.pending).toBe(1);
    expect(toHex((await peer.next()).command)).toBe(toHex(ECHO_RSP_ID_5));
    await ours.closed;
  });

  describe('N-EVENT-REPORT and roles (PS3.7 §10.1.1: the SOP class’s SCP invokes it)', () => {
    const commitment = (requestorRoles?: { scu: boolean; scp: boolean }): SupportedContext[] => [
      {
        abstractSyntax: COMMITMENT,
        transferSyntaxes: [EXPLICIT],
        ...(requestorRoles && { requestorRoles }),
      },
    ];

    it('answers 0x0211 on a context where we are SCP, without calling the dispatcher', async () => {
      const calls: IncomingRequest[] = [];
      const { ours, peer } = await weAccept({
        supported: commitment(),
        proposed: [{ abstractSyntax: COMMITMENT, transferSyntaxes: [EXPLICIT] }],
        dispatch: async (request) => {
          calls.push(request);
          throw new Error('not expected');
        },
      });
      expect(ours.negotiated.contexts[0]).toMatchObject({ localIsScp: true, localIsScu: false });
      await peer.send(EVENT_REPORT_RQ_ID_21, new Uint8Array(64));
      const answer = await peer.next();
      expect(answer.fields).toMatchObject({
        commandField: 0x8100,
        messageIdBeingRespondedTo: 21,
        commandDataSetType: 0x0101,
        status: 0x0211,
        affectedSopClassUid: COMMITMENT,
        affectedSopInstanceUid: COMMITMENT_INSTANCE,
      });
      expect(answer.dataSet).toBeUndefined();
      expect(calls).toEqual([]);
      // The association carries on.
      await peer.association.release();
      await ours.closed;
    });

    it('hands it to the dispatcher where role selection made us SCU', async () => {
      const calls: IncomingRequest[] = [];
      const { ours, peer } = await weAccept({
        supported: commitment({ scu: true, scp: true }),
        proposed: [
          {
            abstractSyntax: COMMITMENT,
            transferSyntaxes: [EXPLICIT],
            roles: { scu: false, scp: true },
          },
        ],
        dispatch: async (request): Promise<OutgoingResponse> => {
          calls.push(request);
          return {
            message: {
              kind: 'N-EVENT-REPORT-RSP',
              affectedSopClassUid: COMMITMENT,
              affectedSopInstanceUid: COMMITMENT_INSTANCE,
              eventTypeId: 1,
              hasDataSet: false,
              status: 0x0000,
            },
          };
        },
      });
      expect(ours.negotiated.contexts[0]).toMatchObject({ localIsScu: true });
      const eventInformation = new Uint8Array(64).fill(0x20);
      await peer.send(EVENT_REPORT_RQ_ID_21, eventInformation);
      const answer = await peer.next();
      expect(answer.fields).toMatchObject({
        commandField: 0x8100,
        messageIdBeingRespondedTo: 21,
        status: 0,
      });
      expect(calls).toHaveLength(1);
      // A Buffer or a Uint8Array, depending on how the PDU arrived in chunks: compare the bytes.
      expect(new Uint8Array(calls[0]?.dataSet ?? [])).toEqual(eventInformation);
      await peer.association.release();
      await ours.closed;
    });
  });

  describe('data sets above maxReassembledBytes', () => {
    const commitment: SupportedContext[] = [
      { abstractSyntax: COMMITMENT, transferSyntaxes: [EXPLICIT] },
    ];
    const proposeCommitment: ProposedContext[] = [
      { abstractSyntax: COMMITMENT, transferSyntaxes: [EXPLICIT] },
    ];

    it('answers an N-ACTION-RQ with 0x0213 after reading its 64 MiB data set without keeping it', async () => {
      // A GC on demand, so that memory still referenced is told apart from garbage.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void; // exposed by the flag just set
      const calls: IncomingRequest[] = [];
      const { ours, peer } = await weAccept({
        supported: commitment,
        proposed: proposeCommitment,
        limits: { maxReassembledBytes: 1024 * 1024 },
        dispatch: async (request) => {
          calls.push(request);
          throw new Error('not expected');
        },
      });
      gc();
      const baseline = process.memoryUsage().arrayBuffers;
      let peak = 0;
      const chunk = new Uint8Array(1024 * 1024).fill(0x41);
      async function* dataSet(): AsyncGenerator<Uint8Array> {
        for (let sent = 0; sent < 64; sent++) {
          yield chunk;
          await new Promise((resolve) => setImmediate(resolve)); // let our side read it
          if (sent % 8 === 7) {
            gc();
            peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
          }
        }
      }
      await peer.send(ACTION_RQ_ID_27, dataSet());
      const answer = await peer.next();
      expect(answer.fields).toMatchObject({
        commandField: 0x8130,
        messageIdBeingRespondedTo: 27,
        commandDataSetType: 0x0101,
        status: 0x0213,
      });
      expect(calls).toEqual([]);
      // Measured here: about 9 MiB; with the data set kept in memory it was 68 MiB.
      expect(peak).toBeLessThan(32 * 1024 * 1024);
      await peer.association.release();
      await ours.closed;
    });

    it('…with exactly the fields PS3.7 allows in that failure (hand-written bytes)', async () => {
      const { ours, peer } = await weAccept({
        supported: commitment,
        proposed: proposeCommitment,
        limits: { maxReassembledBytes: 16 },
      });
      await peer.send(ACTION_RQ_ID_27, new Uint8Array(18));
      const answer = await peer.next();
      expect(toHex(answer.command)).toBe(toHex(ACTION_RSP_ID_27_RESOURCE_LIMITATION));
      await ours.abort();
    });

    it('answers a C-FIND-RQ identifier above the limit with 0xA700 and an Error Comment', async () => {
      const { ours, peer } = await weAccept({
        supported: [{ abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [IMPLICIT] }],
        proposed: [{ abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [IMPLICIT] }],
        limits: { maxReassembledBytes: 1024 },
      });
      await peer.send(FIND_RQ_ID_9, new Uint8Array(4096));
      const answer = await peer.next();
      expect(answer.fields).toMatchObject({
        commandField: 0x8020,
        messageIdBeingRespondedTo: 9,
        commandDataSetType: 0x0101,
        status: 0xa700,
        errorComment: expect.stringMatching(/1024/),
      });
      await ours.abort();
    });
  });

  it('aborts when a command set exceeds maxCommandLength', async () => {
    const { ours, peer } = await weAccept({
      supported: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      proposed: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      limits: { maxCommandLength: 64 },
    });
    await peer.send(STORE_RQ_ID_1, new Uint8Array(10)).catch(() => {});
    await peer.association.closed;
    expect(peer.association.error?.code).toBe('DICOMNET_ASSOCIATION_ABORTED');
    await ours.closed;
  });

  // Once a message's first PDV is out, the only way to end it early is A-ABORT (PS3.8 Annex E:
  // the peer expects the remaining fragments; the next command would interleave with them).
  it('aborts the association when a data set source fails part-way through a request', async () => {
    const { ours, peer } = await weRequest({
      supported: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      proposed: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
    });
    const context = ours.negotiated.contexts[0];
    if (context === undefined) throw new Error('no context');
    const failure = new Error('the disk went away');
    async function* dataSet(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(40_000);
      throw failure;
    }
    const store = ours.invoke(
      {
        kind: 'C-STORE-RQ',
        affectedSopClassUid: SECONDARY_CAPTURE,
        affectedSopInstanceUid: '1.2.3',
        priority: 0,
      },
      { context, dataSet: dataSet() },
    );
    await expect(store).rejects.toBe(failure);
    expect(await closedWithin(peer.association, 2_000)).toBe('closed');
    expect(peer.association.error?.code).toBe('DICOMNET_ASSOCIATION_ABORTED');
    await ours.abort();
  });

  // Error Comment (0000,0902) is LO: 64 characters at most (PS3.5 Table 6.2-1). A longer one
  // from a handler should reach the peer cut to 64, as our own refusals do, not vanish.
  it('sends a handler’s Error Comment longer than 64 characters cut to 64', async () => {
    const comment = `cannot write the file: ENOSPC: no space left on device, write '/var/lib/dicom/.x.part'`;
    const { ours, peer } = await weAccept({
      supported: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      proposed: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      dispatch: async () => ({
        message: {
          kind: 'C-STORE-RSP',
          affectedSopClassUid: SECONDARY_CAPTURE,
          affectedSopInstanceUid: '1.2.826.0.1.3680043.8.498.1.1',
          status: 0xa700,
          errorComment: comment,
        },
      }),
    });
    await peer.send(STORE_RQ_ID_1, new Uint8Array(100));
    const answer = await peer.next();
    expect(answer.fields.status).toBe(0xa700);
    expect(answer.fields.errorComment).toBe(comment.slice(0, 64));
    await ours.abort();
  });
});
