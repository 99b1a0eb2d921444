import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createDcmjsCodec } from '@dicomnet/data';
import type { DataSet } from '@dicomnet/data';
import { describe, expect, it } from 'vitest';
import { encodeCommandSet, toCommandSet } from '../command/index.js';
import { DIMSE_DIAGNOSTICS_CHANNELS } from '../diagnostics.js';
import type { DimseMessageEvent } from '../diagnostics.js';
import { DimseStatusError } from '../errors.js';
import { IMPLICIT, STUDY_ROOT_FIND, VERIFICATION, weRequest } from '../../test/helpers/raw-peer.js';
import type { RawPeer, Received } from '../../test/helpers/raw-peer.js';
import { DimseClient } from './dimse-client.js';

const codec = createDcmjsCodec();
const contexts = [
  { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
  { abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [IMPLICIT] },
];
const QUERY = {
  sopClassUid: STUDY_ROOT_FIND,
  identifier: {
    '00080052': { vr: 'CS', Value: ['STUDY'] },
    '0020000D': { vr: 'UI' },
  },
} as const;

async function findScp(): Promise<{ client: DimseClient; peer: RawPeer }> {
  const { ours, peer } = await weRequest({ supported: contexts, proposed: contexts });
  return { client: new DimseClient(ours, codec), peer };
}

function match(index: number): DataSet {
  return {
    '00080052': { vr: 'CS', Value: ['STUDY'] },
    '0020000D': { vr: 'UI', Value: [`1.2.3.${index}`] },
  };
}

/** A C-FIND-RSP from the raw peer: Pending with a match, or a final status. */
async function respond(peer: RawPeer, request: Received, status: number, identifier?: DataSet) {
  const command = encodeCommandSet(
    toCommandSet({
      kind: 'C-FIND-RSP',
      messageIdBeingRespondedTo: request.fields.messageId ?? 0,
      affectedSopClassUid: STUDY_ROOT_FIND,
      status,
      hasDataSet: identifier !== undefined,
    }),
  );
  await peer.send(command, identifier && codec.encode(identifier, IMPLICIT), request.contextId);
}

describe('DimseClient.find', () => {
  it('yields each Pending match as it comes and returns the final status', async () => {
    const { client, peer } = await findScp();
    const results = client.find(QUERY);
    const first = results.next();
    const request = await peer.next();
    expect(request.fields.commandField).toBe(0x0020); // C-FIND-RQ
    expect(request.fields.priority).toBe(0); // Medium
    expect(codec.decode(request.dataSet ?? new Uint8Array(0), IMPLICIT)).toEqual(QUERY.identifier);
    await respond(peer, request, 0xff00, match(1));
    expect(await first).toEqual({ done: false, value: match(1) });
    await respond(peer, request, 0xff01, match(2));
    expect(await results.next()).toEqual({ done: false, value: match(2) });
    await respond(peer, request, 0x0000);
    const end = await results.next();
    expect(end.done).toBe(true);
    expect(end.value).toMatchObject({ status: 0, category: 'Success' });
    await client.release();
  });

  it('sends C-CANCEL-RQ when the loop is left early, and waits for the final response', async () => {
    const { client, peer } = await findScp();
    const seen: DataSet[] = [];
    const loop = (async () => {
      for await (const identifier of client.find(QUERY)) {
        seen.push(identifier);
        if (seen.length === 2) break;
      }
    })();
    const request = await peer.next();
    for (let index = 1; index <= 5; index++) await respond(peer, request, 0xff00, match(index));
    const cancel = await peer.next();
    // PS3.7 Table 9.3-5: C-CANCEL-RQ, Message ID Being Responded To = the C-FIND's, no data set.
    expect(cancel.fields.commandField).toBe(0x0fff);
    expect(cancel.fields.messageIdBeingRespondedTo).toBe(request.fields.messageId);
    expect(cancel.dataSet).toBeUndefined();
    expect(cancel.contextId).toBe(request.contextId);
    let finished = false;
    void loop.then(() => (finished = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false); // still waiting for the final response
    await respond(peer, request, 0xfe00);
    await loop;
    expect(seen).toEqual([match(1), match(2)]);
    // The association is usable again: nothing is left outstanding.
    await client.release();
  });

  it('cancels at the peer when the signal aborts, then rejects with its reason', async () => {
    const { client, peer } = await findScp();
    const controller = new AbortController();
    const loop = (async () => {
      for await (const _identifier of client.find(QUERY, { signal: controller.signal })) {
        controller.abort(new Error('enough'));
      }
    })();
    const request = await peer.next();
    await respond(peer, request, 0xff00, match(1));
    const cancel = await peer.next();
    expect(cancel.fields.commandField).toBe(0x0fff);
    await respond(peer, request, 0xfe00);
    await expect(loop).rejects.toThrow('enough');
    await client.release();
  });

  it('rejects with the failure status of the final response', async () => {
    const { client, peer } = await findScp();
    const loop = (async () => {
      for await (const _identifier of client.find(QUERY)) {
        // no match comes
      }
    })();
    const request = await peer.next();
    await respond(peer, request, 0xa900);
    const error: unknown = await loop.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DimseStatusError);
    expect(error).toMatchObject({ code: 'DICOMNET_DIMSE_FAILURE_STATUS', status: 0xa900 });
    await client.release();
  });

  it('stops reading the peer once highWaterMark matches wait for the consumer', async () => {
    const { client, peer } = await findScp();
    let received = 0;
    const count = (event: unknown): void => {
      if ((event as DimseMessageEvent).kind === 'C-FIND-RSP') received++;
    };
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, count);
    try {
      const results = client.find(QUERY, { highWaterMark: 2 });
      const first = results.next();
      const request = await peer.next();
      for (let index = 1; index <= 6; index++) await respond(peer, request, 0xff00, match(index));
      await respond(peer, request, 0x0000);
      expect((await first).value).toEqual(match(1));
      for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
      // Match 1 was taken; 2 and 3 wait for the consumer, and nothing after them was read.
      expect(received).toBe(3);
      const rest: DataSet[] = [];
      for (;;) {
        const next = await results.next();
        if (next.done === true) break;
        rest.push(next.value);
      }
      expect(rest).toEqual([2, 3, 4, 5, 6].map(match));
      expect(received).toBe(7);
    } finally {
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, count);
    }
    await client.release();
  });
});
