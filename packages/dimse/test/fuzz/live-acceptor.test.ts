// End-to-end fuzz of a live acceptor (issue 13 §1): random and mutated A-ASSOCIATE-RQs and
// P-DATA streams go through the whole server (Upper Layer, acceptor policy, A-ASSOCIATE-AC,
// DIMSE assembly and limits, dispatch, handlers, the dcmjs codec, storeToDirectory) over an
// in-memory socket pair. After every case: nothing escaped to the process, and the same server
// accepts a fresh association and answers its C-ECHO. At the end: no connection left open, no
// temporary file left, and the heap back within a bound.
import { readdir } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AssociationProposal, Pdv } from '@dicomnet/pdu';
import { buildAssociateRq, encodePdu } from '@dicomnet/pdu';
import { duplexPair, tempDir } from '@dicomnet/test-utils';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommandSet, toCommandSet } from '../../src/command/index.js';
import { createServer } from '../../src/server/dimse-server.js';
import type { DimseServer } from '../../src/server/dimse-server.js';
import { storeToDirectory } from '../../src/store/store-to-directory.js';
import { checkBounded } from '../helpers/bounded-check.js';
import {
  echoRq,
  encodePDataTfUnchecked,
  EXPLICIT,
  IMPLICIT,
  SECONDARY_CAPTURE,
  storeRq,
  VERIFICATION,
  WirePeer,
} from '../helpers/wire-peer.js';

const COMMITMENT = '1.2.840.10008.1.20.1';
const COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';

const PROPOSAL: AssociationProposal = {
  callingAeTitle: 'FUZZER',
  calledAeTitle: 'DICOMNET',
  contexts: [
    { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }, // context 1
    { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }, // context 3
    { abstractSyntax: COMMITMENT, transferSyntaxes: [IMPLICIT] }, // context 5
  ],
};
const RQ = encodePdu(buildAssociateRq(PROPOSAL));

/** Byte overwrites, insertions and a cut, applied to a valid encoding. */
interface Mutation {
  readonly writes: readonly { readonly at: number; readonly value: number }[];
  readonly cut: number | undefined;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  writes: fc.array(
    fc.record({ at: fc.nat({ max: 4096 }), value: fc.integer({ min: 0, max: 255 }) }),
    { maxLength: 6 },
  ),
  cut: fc.option(fc.nat({ max: 4096 }), { nil: undefined }),
});
function mutate(bytes: Uint8Array, { writes, cut }: Mutation): Uint8Array {
  const copy = Uint8Array.from(bytes);
  for (const { at, value } of writes) if (copy.length > 0) copy[at % copy.length] = value;
  return cut === undefined || copy.length === 0 ? copy : copy.subarray(0, cut % copy.length);
}

/** One step of a P-DATA stream after a valid A-ASSOCIATE-RQ. */
type Step =
  | { readonly kind: 'echo'; readonly contextId: number }
  | {
      readonly kind: 'store';
      readonly size: number;
      readonly fragment: number;
      readonly last: boolean;
    }
  | { readonly kind: 'action'; readonly dataSet: Uint8Array }
  | { readonly kind: 'mutated-command'; readonly which: 'echo' | 'store'; readonly how: Mutation }
  | { readonly kind: 'pdv'; readonly pdv: Pdv }
  | { readonly kind: 'mutated-pdu'; readonly how: Mutation }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  | { readonly kind: 'release' };

const contextId = fc.constantFrom(1, 3, 5, 7, 0, 255);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('echo' as const), contextId }),
  fc.record({
    kind: fc.constant('store' as const),
    size: fc.nat({ max: 40_000 }),
    fragment: fc.integer({ min: 0, max: 16_000 }),
    last: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('action' as const), dataSet: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({
    kind: fc.constant('mutated-command' as const),
    which: fc.constantFrom('echo' as const, 'store' as const),
    how: mutation,
  }),
  fc.record({
    kind: fc.constant('pdv' as const),
    pdv: fc.record({
      presentationContextId: contextId,
      isCommand: fc.boolean(),
      isLast: fc.boolean(),
      fragment: fc.uint8Array({ maxLength: 200 }),
    }),
  }),
  fc.record({ kind: fc.constant('mutated-pdu' as const), how: mutation }),
  fc.record({ kind: fc.constant('raw' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('release' as const) }),
);

/** A whole case: what the peer sends from the first byte. */
type Case =
  | { readonly kind: 'random'; readonly bytes: Uint8Array }
  | { readonly kind: 'mutated-rq'; readonly how: Mutation }
  | { readonly kind: 'stream'; readonly steps: readonly Step[] };
const fuzzCase: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('random' as const),
      bytes: fc.uint8Array({ maxLength: 600 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('mutated-rq' as const), how: mutation }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('stream' as const),
      steps: fc.array(step, { minLength: 1, maxLength: 8 }),
    }),
  },
);

const ACTION_RQ = encodeCommandSet(
  toCommandSet({
    kind: 'N-ACTION-RQ',
    messageId: 9,
    requestedSopClassUid: COMMITMENT,
    requestedSopInstanceUid: COMMITMENT_INSTANCE,
    actionTypeId: 1,
    hasDataSet: true,
  }),
);

function pdvsOf(item: Step): Uint8Array[] {
  const pdu = (pdvs: Pdv[]): Uint8Array => encodePDataTfUnchecked(pdvs);
  switch (item.kind) {
    case 'echo':
      return [
        pdu([
          {
            presentationContextId: item.contextId,
            isCommand: true,
            isLast: true,
            fragment: echoRq(3),
          },
        ]),
      ];
    case 'store': {
      const out = [
        pdu([
          {
            presentationContextId: 3,
            isCommand: true,
            isLast: true,
            fragment: storeRq(4, '1.2.3.4'),
          },
        ]),
      ];
      const data = new Uint8Array(item.size);
      const size = Math.max(1, item.fragment);
      for (let at = 0; at < data.length; at += size) {
        const end = Math.min(data.length, at + size);
        out.push(
          pdu([
            {
              presentationContextId: 3,
              isCommand: false,
              isLast: item.last && end === data.length,
              fragment: data.subarray(at, end),
            },
          ]),
        );
      }
      return out;
    }
    case 'action':
      return [
        pdu([
          { presentationContextId: 5, isCommand: true, isLast: true, fragment: ACTION_RQ },
          { presentationContextId: 5, isCommand: false, isLast: true, fragment: item.dataSet },
        ]),
      ];
    case 'mutated-command': {
      const command = mutate(item.which === 'echo' ? echoRq(5) : storeRq(6, '1.2.3.6'), item.how);
      return [
        pdu([
          {
            presentationContextId: item.which === 'echo' ? 1 : 3,
            isCommand: true,
            isLast: true,
            fragment: command,
          },
        ]),
      ];
    }
    case 'pdv':
      return [pdu([item.pdv])];
    case 'mutated-pdu':
      return [
        mutate(
          pdu([{ presentationContextId: 1, isCommand: true, isLast: true, fragment: echoRq(7) }]),
          item.how,
        ),
      ];
    case 'raw':
      return [item.bytes];
    case 'release':
      return [Uint8Array.of(0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0)];
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a live acceptor under fuzzed input', () => {
  let dir: { path: string; remove(): Promise<void> };
  let server: DimseServer;
  const escaped: unknown[] = [];
  /** How the fuzzed associations ended, by error code: evidence the cases reach deep. */
  const outcomes = new Map<string, number>();
  const count = (code: string): void => void outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
  const onEscape = (error: unknown): void => void escaped.push(error);

  beforeAll(async () => {
    dir = await tempDir();
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
    server = createServer({
      artimTimeout: 200,
      maxPdvFragments: 2_000,
      maxReassembledBytes: 64 * 1024,
      maxStreamedDataSetBytes: 256 * 1024,
      contexts: [
        { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
        { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
        { abstractSyntax: COMMITMENT, transferSyntaxes: [IMPLICIT] },
      ],
      handlers: {
        store: storeToDirectory(dir.path, { fsync: false }),
        // Decodes the Action Information with the default (dcmjs) codec: bad bytes reach it.
        action: (request) => ({ status: request.actionInformation === undefined ? 0x0110 : 0 }),
      },
      onAssociationEnd: (_negotiated, error) => count(error?.code ?? 'released'),
      onFailure: (error) =>
        count(`not established: ${(error as { code?: string }).code ?? error.name}`),
    });
  });
  afterAll(async () => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
    await server.abortAll();
    await server.close();
    await dir.remove();
  });

  async function play(item: Case): Promise<void> {
    const [ours, theirs] = duplexPair();
    server.handle(ours);
    const peer = new WirePeer(theirs);
    const chunks: Uint8Array[] =
      item.kind === 'random'
        ? [item.bytes]
        : item.kind === 'mutated-rq'
          ? [mutate(RQ, item.how)]
          : [RQ, ...item.steps.flatMap(pdvsOf)];
    for (const chunk of chunks) {
      if (chunk.length > 0 && !peer.write(chunk)) break;
      await turn();
    }
    for (let index = 0; index < 3; index++) await turn();
    peer.destroy();
  }

  async function echoStillAnswered(messageId: number): Promise<void> {
    const [ours, theirs] = duplexPair();
    server.handle(ours);
    const peer = new WirePeer(theirs);
    const answer = await peer.associate(PROPOSAL);
    expect(answer.type).toBe('A-ASSOCIATE-AC');
    expect(await peer.echo(messageId)).toBe(0x0000);
    peer.destroy();
  }

  it('survives random and mutated associations and P-DATA streams, answering C-ECHO after each', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void; // exposed by the flag just set
    await echoStillAnswered(1);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let messageId = 10;
    await checkBounded(
      fc.asyncProperty(fuzzCase, async (item) => {
        await play(item);
        await echoStillAnswered(messageId++ & 0xffff);
        expect(escaped).toEqual([]);
      }),
      { numRuns: 1_500, minRuns: 100, timeLimit: 20_000, label: 'live acceptor fuzz' },
    );
    process.stderr.write(`outcomes: ${JSON.stringify([...outcomes].sort())}\n`);
    // Cases end in many ways, among them the DIMSE layer's own refusals.
    expect(outcomes.size).toBeGreaterThanOrEqual(4);
    expect([...outcomes.keys()].some((code) => code.startsWith('DICOMNET_DIMSE_'))).toBe(true);
    await expect.poll(() => server.size, { timeout: 5_000 }).toBe(0);
    expect((await readdir(dir.path)).filter((name) => name.endsWith('.part'))).toEqual([]);
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
    expect(escaped).toEqual([]);
  }, 60_000);
});
