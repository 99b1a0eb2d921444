import { describe, expect, it } from 'vitest';
import {
  gatedEcho,
  proposeVerification,
  verification,
  weAccept,
} from '../../test/helpers/raw-peer.js';
import { echoRq } from '../../test/helpers/wire-peer.js';

/** Lets pending promise callbacks and a few macrotasks run. */
async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++) await new Promise((resolve) => setImmediate(resolve));
}

describe('requests beyond the asynchronous operations window (PS3.7 D.3.3.3)', () => {
  it('pause the peer’s input until answers are sent, then are all answered in order', async () => {
    const gate = gatedEcho();
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch: gate.dispatch,
    });
    // Window 1 (the default): the peer may have one request outstanding, and sends 20.
    for (let id = 1; id <= 20; id++) void peer.send(echoRq(id));
    await settle();
    // One being answered and one more read; the rest waits in the transport, not in answers.
    expect(gate.calls.map((call) => call.message.messageId)).toEqual([1, 2]);
    gate.open();
    const answered: number[] = [];
    for (let index = 0; index < 20; index++) {
      answered.push((await peer.next()).fields.messageIdBeingRespondedTo ?? -1);
    }
    expect(answered).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(gate.calls).toHaveLength(20);
    await ours.abort();
  });
});
