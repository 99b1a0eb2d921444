import { readFileSync } from 'node:fs';
import type { PDataTf, Pdv } from '@dicomnet/pdu';
import { fromHex } from '@dicomnet/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DimseProtocolError, MessageTooLargeError, TooManyFragmentsError } from '../errors.js';
import type { DataSink } from './data-sink.js';
import { FRAGMENT_OVERHEAD_BYTES } from './fragment-cost.js';
import { MessageAssembler } from './message-assembler.js';

function fixture(name: string): Uint8Array {
  return fromHex(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8'));
}

// A C-STORE-RQ captured from DCMTK storescu (124 bytes) and a C-ECHO-RQ written by hand.
const STORE_RQ = fixture('command-dcmtk-c-store-rq.hex');
const ECHO_RQ = fixture('command-c-echo-rq.hex');
/** A data set stand-in: 70,000 bytes that differ from their neighbours. */
const DATA = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

const pdv = (
  presentationContextId: number,
  isCommand: boolean,
  isLast: boolean,
  fragment: Uint8Array,
): Pdv => ({
  presentationContextId,
  isCommand,
  isLast,
  fragment,
});
const pdu = (...pdvs: Pdv[]): PDataTf => ({ type: 'P-DATA-TF', pdvs });

/** The PDVs of one message on context 1, each fragment at most `size` bytes (PS3.8 E.1). */
function pdvsOf(
  command: Uint8Array,
  dataSet: Uint8Array | undefined,
  size: number,
  dataSize = size,
): Pdv[] {
  const cut = (bytes: Uint8Array, isCommand: boolean, step: number): Pdv[] => {
    const out: Pdv[] = [];
    for (let at = 0; at < bytes.length; at += step) {
      const end = Math.min(at + step, bytes.length);
      out.push(pdv(1, isCommand, end === bytes.length, bytes.subarray(at, end)));
    }
    return out;
  };
  return [...cut(command, true, size), ...(dataSet ? cut(dataSet, false, dataSize) : [])];
}

/** A sink that keeps everything, and how it was called. */
class CollectingSink implements DataSink {
  readonly pieces: Uint8Array[] = [];
  ends = 0;
  failure: Error | undefined;
  write(fragment: Uint8Array): void {
    this.pieces.push(fragment);
  }
  end(): void {
    this.ends++;
  }
  fail(error: Error): void {
    this.failure = error;
  }
  get bytes(): Buffer {
    return Buffer.concat(this.pieces);
  }
}

/** An assembler that records each command and gives a collecting sink to those with a data set. */
function recorder(maxCommandLength = 64 * 1024, maxPdvFragments = 1 << 20) {
  const commands: { contextId: number; bytes: Buffer }[] = [];
  const sinks: CollectingSink[] = [];
  const assembler = new MessageAssembler({
    maxCommandLength,
    maxPdvFragments,
    onCommand: (contextId, bytes) => {
      commands.push({ contextId, bytes: Buffer.from(bytes) });
      // (0000,0800) is the last element of both fixtures: 0101H means no data set.
      const last = bytes.subarray(bytes.length - 2);
      if (last[0] === 0x01 && last[1] === 0x01) return undefined;
      const sink = new CollectingSink();
      sinks.push(sink);
      return sink;
    },
  });
  return { assembler, commands, sinks };
}

describe('MessageAssembler', () => {
  // Around the command's 124 bytes, and up to 64 KiB.
  const sizes = [2, 4, 6, 10, 64, 122, 124, 126, 1000, 4094, 16_372, 32_768, 65_536];

  it.each(sizes)(
    'reassembles a message cut into %i-byte fragments, one PDV per P-DATA-TF',
    (size) => {
      const { assembler, commands, sinks } = recorder();
      for (const item of pdvsOf(STORE_RQ, DATA, size)) {
        expect(assembler.push(pdu(item))).toBeUndefined();
      }
      expect(commands).toEqual([{ contextId: 1, bytes: Buffer.from(STORE_RQ) }]);
      expect(sinks).toHaveLength(1);
      expect(sinks[0]?.bytes.equals(DATA)).toBe(true);
      expect(sinks[0]?.ends).toBe(1);
      expect(assembler.busy).toBe(false);
    },
  );

  it.each(sizes)('reassembles %i-byte fragments sent all in one P-DATA-TF', (size) => {
    const { assembler, commands, sinks } = recorder();
    void assembler.push(pdu(...pdvsOf(STORE_RQ, DATA, size)));
    expect(commands.map((c) => c.bytes.equals(STORE_RQ))).toEqual([true]);
    expect(sinks[0]?.bytes.equals(DATA)).toBe(true);
    expect(sinks[0]?.ends).toBe(1);
  });

  it('hands data set fragments on as views, never copies', () => {
    const { assembler, sinks } = recorder();
    const items = pdvsOf(STORE_RQ, DATA, 16_372);
    void assembler.push(pdu(...items));
    const dataPdvs = items.filter((item) => !item.isCommand);
    expect(sinks[0]?.pieces).toHaveLength(dataPdvs.length);
    sinks[0]?.pieces.forEach((piece, index) => expect(piece).toBe(dataPdvs[index]?.fragment));
  });

  it('takes the whole command and the whole data set in one P-DATA-TF, then the next message', () => {
    const { assembler, commands, sinks } = recorder();
    void assembler.push(
      pdu(
        pdv(1, true, true, STORE_RQ),
        pdv(1, false, false, DATA.subarray(0, 30_000)),
        pdv(1, false, true, DATA.subarray(30_000)),
        pdv(3, true, true, ECHO_RQ), // no data set: complete at once
      ),
    );
    expect(commands.map((c) => c.contextId)).toEqual([1, 3]);
    expect(commands[1]?.bytes.equals(ECHO_RQ)).toBe(true);
    expect(sinks).toHaveLength(1);
    expect(sinks[0]?.bytes.equals(DATA)).toBe(true);
    expect(assembler.busy).toBe(false);
  });

  it('gives the same message for any even cut and any grouping of PDVs into P-DATA-TFs', () => {
    const evenSize = fc.integer({ min: 1, max: 32 * 1024 }).map((half) => half * 2);
    fc.assert(
      fc.property(
        evenSize,
        evenSize,
        fc.integer({ min: 1, max: 8 }),
        (commandSize, dataSize, perPdu) => {
          const { assembler, commands, sinks } = recorder();
          const items = pdvsOf(STORE_RQ, DATA, commandSize, dataSize);
          for (let at = 0; at < items.length; at += perPdu)
            void assembler.push(pdu(...items.slice(at, at + perPdu)));
          expect(commands.map((c) => c.bytes.equals(STORE_RQ))).toEqual([true]);
          expect(sinks[0]?.bytes.equals(DATA)).toBe(true);
          expect(sinks[0]?.ends).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  describe('refuses PDV sequences PS3.8 Annex E forbids, with DICOMNET_DIMSE_PROTOCOL', () => {
    const cases: [string, Pdv[]][] = [
      ['a data set fragment before any command', [pdv(1, false, true, DATA.subarray(0, 10))]],
      [
        'a data set fragment while the command is incomplete',
        [pdv(1, true, false, STORE_RQ.subarray(0, 60)), pdv(1, false, true, DATA.subarray(0, 10))],
      ],
      [
        'a command fragment on another context while the command is incomplete',
        [pdv(1, true, false, STORE_RQ.subarray(0, 60)), pdv(3, true, true, STORE_RQ.subarray(60))],
      ],
      [
        'a command fragment after the data set started',
        [
          pdv(1, true, true, STORE_RQ),
          pdv(1, false, false, DATA.subarray(0, 10)),
          pdv(1, true, true, ECHO_RQ),
        ],
      ],
      [
        'a new command after the command, before any data set fragment',
        [pdv(1, true, true, STORE_RQ), pdv(1, true, true, ECHO_RQ)],
      ],
      [
        'a data set fragment on another context',
        [
          pdv(1, true, true, STORE_RQ),
          pdv(1, false, false, DATA.subarray(0, 10)),
          pdv(3, false, true, DATA.subarray(10, 20)),
        ],
      ],
      [
        'the data set on another context than its command',
        [pdv(1, true, true, STORE_RQ), pdv(3, false, true, DATA.subarray(0, 10))],
      ],
    ];
    it.each(cases)('%s', (_name, items) => {
      const { assembler } = recorder();
      let error: unknown;
      try {
        for (const item of items) void assembler.push(pdu(item));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DimseProtocolError);
      expect(error).toMatchObject({ code: 'DICOMNET_DIMSE_PROTOCOL' });
    });

    it('also when the offending PDVs share one P-DATA-TF', () => {
      const { assembler } = recorder();
      expect(() =>
        assembler.push(
          pdu(
            pdv(1, true, true, STORE_RQ),
            pdv(1, false, false, DATA.subarray(0, 10)),
            pdv(1, true, true, ECHO_RQ),
          ),
        ),
      ).toThrow(DimseProtocolError);
    });
  });

  it('refuses a command costing more than maxCommandLength as soon as the fragments pass it', () => {
    // One piece costs its bytes plus the overhead of holding it.
    const exact = recorder(STORE_RQ.length + FRAGMENT_OVERHEAD_BYTES);
    void exact.assembler.push(pdu(...pdvsOf(STORE_RQ, DATA, 16_372)));
    expect(exact.commands).toHaveLength(1);

    expect(STORE_RQ.length).toBe(124);
    const limit = STORE_RQ.length + 4 * FRAGMENT_OVERHEAD_BYTES - 1; // four pieces, one byte short
    const { assembler, commands } = recorder(limit);
    const items = pdvsOf(STORE_RQ, undefined, 40); // 40 + 40 + 40 + 4 bytes
    for (const item of items.slice(0, 3)) void assembler.push(pdu(item));
    let error: unknown;
    try {
      void assembler.push(pdu(items[3] as Pdv)); // four pieces: the last one exists
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(error).toMatchObject({
      code: 'DICOMNET_DIMSE_MESSAGE_TOO_LARGE',
      what: 'command',
      limit,
    });
    expect(commands).toEqual([]);
  });

  it('counts empty command fragments against maxPdvFragments and holds none of them', () => {
    const { assembler, commands } = recorder(64 * 1024, 1000);
    const empty = pdv(1, true, false, new Uint8Array(0));
    void assembler.push(pdu(...Array.from({ length: 999 }, () => empty)));
    expect(assembler.retained).toEqual({ fragments: 0, cost: 0 });
    expect(() => assembler.push(pdu(empty, empty))).toThrow(TooManyFragmentsError);
    expect(commands).toEqual([]);
  });

  it('charges the per-fragment overhead for 1-byte command fragments', () => {
    const { assembler } = recorder(10 * (1 + FRAGMENT_OVERHEAD_BYTES));
    const one = pdv(1, true, false, Uint8Array.of(0));
    void assembler.push(pdu(...Array.from({ length: 10 }, () => one)));
    expect(assembler.retained).toEqual({ fragments: 10, cost: 10 * (1 + FRAGMENT_OVERHEAD_BYTES) });
    expect(() => assembler.push(pdu(one))).toThrow(MessageTooLargeError);
  });

  it('counts the fragments of the command and the data set together, per message', () => {
    const { assembler, sinks } = recorder(64 * 1024, 10);
    // Two whole messages of 10 PDVs each (2-byte fragments of a 124-byte command would be more).
    for (let round = 0; round < 2; round++) {
      void assembler.push(pdu(...pdvsOf(STORE_RQ, DATA.subarray(0, 9 * 100), 124, 100)));
    }
    expect(sinks).toHaveLength(2);
    expect(() =>
      assembler.push(pdu(...pdvsOf(STORE_RQ, DATA.subarray(0, 10 * 100), 124, 100))),
    ).toThrow(TooManyFragmentsError);
  });

  it('refuses the start of a second message on another context while one is open (PS3.8 E.1)', () => {
    const { assembler } = recorder();
    void assembler.push(pdu(pdv(1, true, false, STORE_RQ.subarray(0, 10))));
    expect(() => assembler.push(pdu(pdv(3, true, false, ECHO_RQ.subarray(0, 10))))).toThrow(
      DimseProtocolError,
    );
  });

  it('holds the rest of a P-DATA-TF while the sink pushes back, and ends after the last write', async () => {
    const events: string[] = [];
    const releases: (() => void)[] = [];
    const sink: DataSink = {
      write(fragment) {
        events.push(`write ${fragment.length}`);
        return new Promise<void>((resolve) =>
          releases.push(() => {
            events.push(`released ${fragment.length}`);
            resolve();
          }),
        );
      },
      end() {
        events.push('end');
      },
      fail() {
        events.push('fail');
      },
    };
    const assembler = new MessageAssembler({
      maxCommandLength: 1024,
      maxPdvFragments: 100,
      onCommand: () => sink,
    });
    const pending = assembler.push(
      pdu(
        pdv(1, true, true, STORE_RQ),
        pdv(1, false, false, DATA.subarray(0, 100)),
        pdv(1, false, true, DATA.subarray(100, 150)),
      ),
    );
    expect(pending).toBeInstanceOf(Promise);
    expect(events).toEqual(['write 100']);
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['write 100', 'released 100', 'write 50']);
    releases.shift()?.();
    await pending;
    expect(events).toEqual(['write 100', 'released 100', 'write 50', 'released 50', 'end']);
    expect(assembler.busy).toBe(false);
  });

  it('fails the sink of a message in progress on fail(), and starts afresh after', () => {
    const { assembler, sinks, commands } = recorder();
    void assembler.push(
      pdu(pdv(1, true, true, STORE_RQ), pdv(1, false, false, DATA.subarray(0, 10))),
    );
    expect(assembler.busy).toBe(true);
    const reason = new DimseProtocolError('the association ended');
    assembler.fail(reason);
    expect(sinks[0]?.failure).toBe(reason);
    expect(sinks[0]?.ends).toBe(0);
    expect(assembler.busy).toBe(false);
    void assembler.push(pdu(pdv(1, true, true, ECHO_RQ)));
    expect(commands).toHaveLength(2);
  });
});
