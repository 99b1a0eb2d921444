import type { PDataTf, Pdv } from '@dicomnet/pdu';
import { DicomnetError } from '@dicomnet/pdu';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCommandSet } from '../../src/command/index.js';
import { MemorySink } from '../../src/message/data-sink.js';
import type { DataSink } from '../../src/message/data-sink.js';
import { FragmentChannel } from '../../src/message/fragment-channel.js';
import { FRAGMENT_OVERHEAD_BYTES } from '../../src/message/fragment-cost.js';
import { MessageAssembler } from '../../src/message/message-assembler.js';
import { checkBounded } from '../helpers/bounded-check.js';
import { fixture, STORE_RQ_ID_1, ACTION_RQ_ID_27, ECHO_RQ_ID_5 } from '../helpers/raw-peer.js';

/*
 * What a peer can make the receive path hold. The assembler, a C-STORE stream nobody reads (the
 * worst consumer) and an in-memory sink are driven as the association drives them; after every
 * P-DATA-TF their counters must stay within the limits, and a peer that passed a limit must
 * have been refused with a coded error.
 */

const LIMITS = {
  maxCommandLength: 4096,
  maxPdvFragments: 600,
  maxReassembledBytes: 8192,
  highWaterMark: 4096,
  maxStreamedBytes: 64 * 1024,
} as const;
const MAX_FRAGMENT = 3000;
/** What the receive path may refuse a peer with: each is an A-ABORT. */
const ABORT_CODES = new Set([
  'DICOMNET_DIMSE_TOO_MANY_FRAGMENTS',
  'DICOMNET_DIMSE_MESSAGE_TOO_LARGE',
  'DICOMNET_DIMSE_PROTOCOL',
  'DICOMNET_DIMSE_BAD_COMMAND_SET',
]);
void fixture; // the fixtures above are read through it

type Op =
  | { kind: 'empty'; ctx: number; count: number; isCommand: boolean }
  | { kind: 'oneByte'; ctx: number; count: number; isCommand: boolean }
  | { kind: 'open'; ctx: number }
  | { kind: 'command'; ctx: number; which: 'store' | 'action' | 'echo' }
  | { kind: 'data'; ctx: number; count: number; size: number; last: boolean }
  | { kind: 'random'; ctx: number; isCommand: boolean; isLast: boolean; bytes: Uint8Array };

const ctx = fc.constantFrom(1, 3, 5);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('empty' as const),
    ctx,
    count: fc.integer({ min: 1, max: 1500 }),
    isCommand: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('oneByte' as const),
    ctx,
    count: fc.integer({ min: 1, max: 1500 }),
    isCommand: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('open' as const), ctx }),
  fc.record({
    kind: fc.constant('command' as const),
    ctx,
    which: fc.constantFrom('store' as const, 'action' as const, 'echo' as const),
  }),
  fc.record({
    kind: fc.constant('data' as const),
    ctx,
    count: fc.integer({ min: 1, max: 400 }),
    size: fc.integer({ min: 0, max: MAX_FRAGMENT }),
    last: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('random' as const),
    ctx,
    isCommand: fc.boolean(),
    isLast: fc.boolean(),
    bytes: fc.uint8Array({ maxLength: 200 }),
  }),
);

const COMMANDS = { store: STORE_RQ_ID_1, action: ACTION_RQ_ID_27, echo: ECHO_RQ_ID_5 };

function pdvsOf(item: Op): Pdv[] {
  const pdv = (isCommand: boolean, isLast: boolean, fragment: Uint8Array): Pdv => ({
    presentationContextId: item.ctx,
    isCommand,
    isLast,
    fragment,
  });
  switch (item.kind) {
    case 'empty':
      return Array.from({ length: item.count }, () =>
        pdv(item.isCommand, false, new Uint8Array(0)),
      );
    case 'oneByte':
      return Array.from({ length: item.count }, () => pdv(item.isCommand, false, Uint8Array.of(7)));
    case 'open':
      return [pdv(true, false, STORE_RQ_ID_1.subarray(0, 10))];
    case 'command':
      return [pdv(true, true, COMMANDS[item.which])];
    case 'data':
      return Array.from({ length: item.count }, (_, index) =>
        pdv(false, item.last && index === item.count - 1, new Uint8Array(item.size)),
      );
    case 'random':
      return [pdv(item.isCommand, item.isLast, item.bytes)];
  }
}

/** One association's receive path with the hostile stream fed in; returns what it held. */
function drive(
  ops: readonly Op[],
  pduSize = 150,
): { refusedWith: string | undefined; pdus: number } {
  const channels: FragmentChannel[] = [];
  const sinks: MemorySink[] = [];
  let inMessage = 0; // PDVs since the last message completed
  const ended = (sink: DataSink): DataSink => ({
    write: (fragment) => sink.write(fragment),
    end: () => {
      inMessage = 0;
      return sink.end();
    },
    fail: (error) => sink.fail(error),
  });
  const assembler = new MessageAssembler({
    maxCommandLength: LIMITS.maxCommandLength,
    maxPdvFragments: LIMITS.maxPdvFragments,
    onCommand: (_contextId, bytes) => {
      const set = decodeCommandSet(bytes);
      if (set.commandDataSetType === 0x0101) {
        inMessage = 0;
        return undefined;
      }
      if (set.commandField === 0x0001) {
        const channel = new FragmentChannel(LIMITS.highWaterMark, LIMITS.maxStreamedBytes);
        channels.push(channel);
        return ended(channel);
      }
      const sink = new MemorySink(
        LIMITS.maxReassembledBytes,
        () => {},
        () => {},
      );
      sinks.push(sink);
      return ended(sink);
    },
  });
  const pdvs = ops.flatMap(pdvsOf);
  let pdus = 0;
  for (let at = 0; at < pdvs.length; at += pduSize) {
    const chunk = pdvs.slice(at, at + pduSize);
    const pdu: PDataTf = { type: 'P-DATA-TF', pdvs: chunk };
    pdus++;
    let pending: void | Promise<void>;
    try {
      inMessage += chunk.length;
      pending = assembler.push(pdu);
    } catch (error) {
      expect(DicomnetError.isInstance(error)).toBe(true);
      const code = (error as DicomnetError).code;
      expect(ABORT_CODES).toContain(code);
      return { refusedWith: code, pdus };
    }
    // What is held, measured where it is held, never beyond its limit.
    expect(assembler.retained.cost).toBeLessThanOrEqual(LIMITS.maxCommandLength);
    for (const channel of channels) {
      expect(channel.queuedCost).toBeLessThanOrEqual(
        LIMITS.highWaterMark + MAX_FRAGMENT + FRAGMENT_OVERHEAD_BYTES,
      );
    }
    for (const sink of sinks) {
      expect(sink.heldCost).toBeLessThanOrEqual(LIMITS.maxReassembledBytes);
    }
    if (pending !== undefined) {
      // The consumer pushes back: the socket is paused and the peer cannot make us take more.
      void pending.catch(() => {});
      return { refusedWith: undefined, pdus };
    }
    // Accepted without a refusal: the message in progress has not passed the fragment limit.
    // (Exact with one PDV per PDU; with more, a message that ended inside the PDU resets the
    // count early, which can only make this check weaker, never wrong.)
    if (assembler.busy) expect(inMessage).toBeLessThanOrEqual(LIMITS.maxPdvFragments);
  }
  return { refusedWith: undefined, pdus };
}

describe('limits of the receive path, for any stream a peer sends', () => {
  it('empty PDVs: refused once a message has more than maxPdvFragments, holding nothing', () => {
    const result = drive([{ kind: 'empty', ctx: 1, count: 5000, isCommand: true }]);
    expect(result.refusedWith).toBe('DICOMNET_DIMSE_TOO_MANY_FRAGMENTS');
  });

  it('1-byte PDVs: refused once their cost passes maxCommandLength', () => {
    const result = drive([{ kind: 'oneByte', ctx: 1, count: 5000, isCommand: true }]);
    expect(result.refusedWith).toBe('DICOMNET_DIMSE_MESSAGE_TOO_LARGE');
  });

  it('many open messages on several contexts: the second is refused (PS3.8 Annex E.1)', () => {
    const result = drive([
      { kind: 'open', ctx: 1 },
      { kind: 'open', ctx: 3 },
      { kind: 'open', ctx: 5 },
    ]);
    expect(result.refusedWith).toBe('DICOMNET_DIMSE_PROTOCOL');
  });

  it('a C-STORE data set that never ends: refused at maxStreamedDataSetBytes or maxPdvFragments', () => {
    const ops: Op[] = [{ kind: 'command', ctx: 1, which: 'store' }];
    for (let index = 0; index < 10; index++) {
      ops.push({ kind: 'data', ctx: 1, count: 100, size: 1000, last: false });
    }
    // Nobody reads this stream, so the consumer's push-back stops the peer first ...
    expect(drive(ops).refusedWith).toBeUndefined();
    // ... and with empty fragments, which cost nothing to queue, the fragment limit ends it.
    const empty: Op[] = [{ kind: 'command', ctx: 1, which: 'store' }];
    for (let index = 0; index < 10; index++) {
      empty.push({ kind: 'data', ctx: 1, count: 100, size: 0, last: false });
    }
    expect(drive(empty).refusedWith).toBe('DICOMNET_DIMSE_TOO_MANY_FRAGMENTS');
  });

  it('an N-service data set that never ends is dropped past maxReassembledBytes, then refused', () => {
    const ops: Op[] = [{ kind: 'command', ctx: 1, which: 'action' }];
    for (let index = 0; index < 10; index++) {
      ops.push({ kind: 'data', ctx: 1, count: 100, size: 3000, last: false });
    }
    expect(drive(ops).refusedWith).toBe('DICOMNET_DIMSE_TOO_MANY_FRAGMENTS');
  });

  it('random mixtures of all the shapes stay within the limits', async () => {
    await checkBounded(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(1, 7, 150),
        async (ops, pduSize) => {
          drive(ops, pduSize);
          await Promise.resolve();
        },
      ),
      { numRuns: 400, minRuns: 50, timeLimit: 8_000, label: 'receive-path limits' },
    );
  });
});
