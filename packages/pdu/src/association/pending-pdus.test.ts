import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { duplexPair } from '@dicomnet/test-utils';
import type { PDataTf, Pdu } from '../codec/index.js';
import { decodePdu, encodePdu, PduReader } from '../codec/index.js';
import type { AcceptorPolicy } from '../negotiation/acceptor-policy.js';
import type { PendingPdusLimitError } from '../association-errors.js';
import { Acceptor } from './acceptor.js';
import type { AcceptorOptions } from './acceptor.js';
import type { Association } from './association.js';
import { requestAssociation } from './request-association.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const policy: AcceptorPolicy = {
  contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
  maxPduLength: 16384,
};

/** `count` P-DATA-TF PDUs of one PDV with a fragment of `size` bytes, as one chunk. */
function pDataChunk(count: number, size: number): Uint8Array {
  const one = encodePdu({
    type: 'P-DATA-TF',
    pdvs: [
      { presentationContextId: 1, isCommand: true, isLast: false, fragment: new Uint8Array(size) },
    ],
  });
  const chunk = new Uint8Array(one.length * count);
  for (let i = 0; i < count; i++) chunk.set(one, i * one.length);
  return chunk;
}

interface Setup {
  readonly subject: Association;
  readonly peerSocket: Duplex;
  readonly received: Pdu[];
  readonly delivered: PDataTf[];
  readonly release: () => void;
}

/**
 * An established association whose onPData holds input on the first PDU until `release`;
 * the peer's side is read raw after establishment.
 */
async function busyAcceptor(limits: Partial<AcceptorOptions> = {}): Promise<Setup> {
  const delivered: PDataTf[] = [];
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let subject: Association | undefined;
  const acceptor = new Acceptor({
    policy,
    onAssociation: (association) => {
      subject = association;
      association.setHandlers({
        onPData: (pdu) => {
          delivered.push(pdu);
          return delivered.length === 1 ? gate : undefined;
        },
      });
    },
    ...limits,
  });
  const [ours, theirs] = duplexPair();
  acceptor.handle(ours);
  const requestor = await requestAssociation({
    callingAeTitle: 'PEER',
    calledAeTitle: 'SUBJECT',
    contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
    transport: async () => theirs,
  });
  // From here on the test speaks raw bytes on the requestor's socket.
  const received: Pdu[] = [];
  const reader = new PduReader({ maxPduLength: 0 });
  theirs.on('data', (chunk: Uint8Array) => {
    for (const raw of reader.push(chunk)) received.push(decodePdu(raw));
  });
  void requestor.closed;
  return { subject: subject as Association, peerSocket: theirs, received, delivered, release };
}

describe('PDUs pending while a handler holds input are bounded (issue 13 §2)', () => {
  it('aborts past maxPendingPdus (default 4096): one chunk of 20,000 tiny PDUs', async () => {
    const { subject, peerSocket, received, delivered, release } = await busyAcceptor();
    peerSocket.write(pDataChunk(20_000, 0));
    await subject.closed;
    release();
    expect(subject.error).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'provider',
      source: 2,
      reason: 0,
      cause: { code: 'DICOMNET_PDU_PENDING_LIMIT', maxPendingPdus: 4096 },
    });
    expect(received).toContainEqual({ type: 'A-ABORT', source: 2, reason: 0 });
    expect(delivered).toHaveLength(1);
  });

  it('aborts past maxPendingBytes, counting each PDU body and overhead', async () => {
    const { subject, peerSocket, release } = await busyAcceptor({ maxPendingBytes: 64 * 1024 });
    peerSocket.write(pDataChunk(20, 8 * 1024)); // 19 pending × (8 KiB + header + 256) > 64 KiB
    await subject.closed;
    release();
    const cause = subject.error?.cause as PendingPdusLimitError; // the abort's cause, checked next
    expect(cause).toMatchObject({ code: 'DICOMNET_PDU_PENDING_LIMIT', maxPendingBytes: 64 * 1024 });
    // Found at the first 64 KiB read slice that passes the limit, not after the whole chunk.
    expect(cause.pendingBytes).toBeGreaterThan(64 * 1024);
    // Each: a body of PDV item-length (4), context ID and header (2), fragment; plus 256.
    expect(cause.pendingBytes).toBe(cause.pendingPdus * (4 + 2 + 8 * 1024 + 256));
  });

  it('delivers everything in order within the limits once the handler lets go', async () => {
    const { subject, peerSocket, delivered, release } = await busyAcceptor({
      maxPendingPdus: 100,
    });
    peerSocket.write(pDataChunk(101, 2)); // 100 pending: at the limit, not past it
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(subject.state).toBe('Sta6');
    release();
    for (let i = 0; i < 100 && delivered.length < 101; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(delivered).toHaveLength(101);
    expect(subject.state).toBe('Sta6');
    await subject.abort();
  });
});
