import { createElementCodec } from '@dicomnet/data';
import { describe, expect, it } from 'vitest';
import type { IncomingRequest, OutgoingResponse } from './incoming-requests.js';
import { createDispatcher } from '../services/dispatch.js';
import {
  echoAnswer,
  gatedEcho,
  proposeVerification,
  verification,
  weAccept,
  weRequest,
} from '../../test/helpers/raw-peer.js';
import { echoRq } from '../../test/helpers/wire-peer.js';
import { VERIFICATION } from '../../test/helpers/raw-peer.js';

/** Lets pending promise callbacks and a few macrotasks run. */
async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++) await new Promise((resolve) => setImmediate(resolve));
}

describe('the asynchronous operations window (PS3.7 D.3.3.3)', () => {
  it('aborts a peer that invokes a second operation when it negotiated none (window 1)', async () => {
    const gate = gatedEcho();
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gate.dispatch,
    });
    void peer.send(echoRq(1));
    void peer.send(echoRq(2));
    await ours.closed;
    expect(ours.error).toMatchObject({ code: 'DICOMNET_DIMSE_WINDOW_EXCEEDED', window: 1 });
    expect(gate.calls.map((call) => call.message.messageId)).toEqual([1]);
    expect(gate.calls[0]?.signal.aborted).toBe(true);
  });

  it('aborts a peer past its window when the answers are known at once (C-ECHO, no handler)', async () => {
    // The dispatcher answers Verification without a promise: its answer still waits until
    // the input read with the request is taken, so the second request is counted first.
    const { ours, peer } = await weAcceptEchoWithoutHandler();
    void peer.send(echoRq(1)); // written in one turn: one chunk for our side
    void peer.send(echoRq(2));
    await ours.closed;
    expect(ours.error).toMatchObject({ code: 'DICOMNET_DIMSE_WINDOW_EXCEEDED', window: 1 });
  });

  it('answers C-ECHO without handler with Success, one request after the other', async () => {
    const { ours, peer } = await weAcceptEchoWithoutHandler();
    for (let id = 1; id <= 3; id++) {
      void peer.send(echoRq(id));
      expect((await peer.next()).fields).toEqual({
        commandField: 0x8030,
        commandDataSetType: 0x0101,
        affectedSopClassUid: VERIFICATION,
        messageIdBeingRespondedTo: id,
        status: 0,
      });
    }
    expect(ours.error).toBeUndefined();
    await ours.release();
  });

  it('resolves `responded` read only after the answer went out, or after the end', async () => {
    const requests: IncomingRequest[] = [];
    const answer = (request: IncomingRequest): OutgoingResponse => {
      requests.push(request);
      return {
        message: { kind: 'C-ECHO-RSP', affectedSopClassUid: VERIFICATION, status: 0 },
      };
    };
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: answer,
    });
    void peer.send(echoRq(1));
    await peer.next();
    await settle();
    await expect(requests[0]?.responded).resolves.toBe(true); // first read now, already sent
    const gate = gatedEcho();
    const second = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gate.dispatch,
    });
    void second.peer.send(echoRq(1));
    await settle();
    await second.ours.abort();
    gate.open(); // the handler finishes after the end: its answer can no longer go out
    await settle();
    await expect(gate.calls[0]?.responded).resolves.toBe(false); // first read after the end
    await ours.release();
  });

  it('performs as many operations at once as it granted, and aborts one more', async () => {
    const gate = gatedEcho();
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gate.dispatch,
      window: 4,
    });
    for (let id = 1; id <= 4; id++) void peer.send(echoRq(id));
    await settle();
    expect(gate.calls).toHaveLength(4); // all four performed at once
    gate.open();
    const answered = new Set<number>();
    for (let index = 0; index < 4; index++) {
      answered.add((await peer.next()).fields.messageIdBeingRespondedTo ?? -1);
    }
    expect([...answered].sort()).toEqual([1, 2, 3, 4]);
    // Answered ones no longer count: four more fit, a fifth does not.
    const held = gatedEcho();
    const second = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: held.dispatch,
      window: 4,
    });
    for (let id = 1; id <= 5; id++) void second.peer.send(echoRq(id));
    await second.ours.closed;
    expect(second.ours.error).toMatchObject({ code: 'DICOMNET_DIMSE_WINDOW_EXCEEDED', window: 4 });
    await ours.release();
  });

  it('counts what the requestor said it would perform when we are the acceptor’s peer', async () => {
    // We requested the association; the peer (acceptor) may invoke what we said we perform.
    const gate = gatedEcho();
    const { ours, peer } = await weRequest({
      supported: [{ ...verification[0]!, requestorRoles: { scu: true, scp: true } }],
      proposed: [{ ...proposeVerification[0]!, roles: { scu: true, scp: true } }],
      dispatch: gate.dispatch,
      window: 2,
    });
    void peer.send(echoRq(1));
    void peer.send(echoRq(2));
    await settle();
    expect(gate.calls).toHaveLength(2);
    void peer.send(echoRq(3));
    await ours.closed;
    expect(ours.error).toMatchObject({ code: 'DICOMNET_DIMSE_WINDOW_EXCEEDED', window: 2 });
  });

  it('never aborts a peer that sends its next request as soon as it reads our response', async () => {
    // duplexPair delivers writes synchronously, so the next request arrives within a few
    // microtasks of our response being written: the window's edge, on the right side of it.
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: echoAnswer,
    });
    const answered: number[] = [];
    const total = 50;
    const done = new Promise<void>((resolve) => {
      const step = (id: number): void => {
        void peer.next().then((response) => {
          answered.push(response.fields.messageIdBeingRespondedTo ?? -1);
          if (id === total) return resolve();
          void peer.send(echoRq(id + 1));
          step(id + 1);
        });
      };
      step(1);
    });
    void peer.send(echoRq(1));
    await done;
    expect(answered).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(ours.error).toBeUndefined();
    await ours.release();
  });

  it('pauses the input of a peer with an unlimited window once 64 answers are in progress', async () => {
    const gate = gatedEcho();
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gate.dispatch,
      window: 0, // unlimited (PS3.7 D.3.3.3)
    });
    for (let id = 1; id <= 100; id++) void peer.send(echoRq(id));
    await settle();
    // 64 being answered and one more read; the rest waits in the transport, not in answers.
    expect(gate.calls).toHaveLength(65);
    gate.open();
    const answered: number[] = [];
    for (let index = 0; index < 100; index++) {
      answered.push((await peer.next()).fields.messageIdBeingRespondedTo ?? -1);
    }
    expect(answered).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect(gate.calls).toHaveLength(100);
    expect(ours.error).toBeUndefined();
    await ours.abort();
  });
});

describe('our requests when the association ends', () => {
  const echo = { kind: 'C-ECHO-RQ', affectedSopClassUid: VERIFICATION } as const;

  it('refuses a request after a release with the reason the association ended', async () => {
    const { ours } = await weRequest({ supported: verification, proposed: proposeVerification });
    const context = ours.negotiated.contexts[0]!;
    await ours.release();
    await expect(ours.invoke(echo, { context })).rejects.toMatchObject({
      code: 'DICOMNET_INVALID_STATE',
    });
    // Again, now that the refusal is the path taken: still refused, never sent.
    await expect(ours.invoke(echo, { context })).rejects.toMatchObject({
      code: 'DICOMNET_INVALID_STATE',
    });
  });

  it('refuses a request after an abort, also one with a signal of its own', async () => {
    const { ours, peer } = await weRequest({
      supported: verification,
      proposed: proposeVerification,
    });
    const context = ours.negotiated.contexts[0]!;
    await peer.association.abort();
    await ours.closed;
    const aborted = { code: 'DICOMNET_ASSOCIATION_ABORTED' };
    await expect(ours.invoke(echo, { context })).rejects.toMatchObject(aborted);
    const signal = new AbortController().signal;
    await expect(ours.invoke(echo, { context, signal })).rejects.toMatchObject(aborted);
  });

  it('rejects a request waiting on a full window when the association ends, without sending it', async () => {
    const { ours, peer } = await weRequest({
      supported: verification,
      proposed: proposeVerification,
    });
    const context = ours.negotiated.contexts[0]!;
    const first = ours.invoke(echo, { context }); // window 1: the second waits for its slot
    const second = ours.invoke(echo, { context });
    const third = ours.invoke(echo, { context, signal: new AbortController().signal });
    expect((await peer.next()).fields.messageId).toBe(1);
    await settle();
    expect(peer.pending).toBe(0); // the others wait for the window
    await ours.abort(); // the first's slot is freed as the association ends: nobody may take it
    const aborted = { code: 'DICOMNET_ASSOCIATION_ABORTED' };
    await expect(first).rejects.toMatchObject(aborted);
    await expect(second).rejects.toMatchObject(aborted);
    await expect(third).rejects.toMatchObject(aborted);
    await ours.closed;
    expect(peer.pending).toBe(0);
  });
});

/** Our side accepting Verification, answered by the dispatcher alone (no handler). */
function weAcceptEchoWithoutHandler(): ReturnType<typeof weAccept> {
  const unused = (): never => {
    throw new Error('no handler asks for the peer');
  };
  return weAccept({
    supported: verification,
    proposed: proposeVerification,
    dispatch: createDispatcher({}, createElementCodec(), unused),
  });
}
