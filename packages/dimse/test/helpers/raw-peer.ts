import { readFileSync } from 'node:fs';
import { Acceptor, requestAssociation } from '@dicomnet/pdu';
import type {
  Association,
  DataSource,
  Pdv,
  ProposedContext,
  SupportedContext,
} from '@dicomnet/pdu';
import { duplexPair, fromHex } from '@dicomnet/test-utils';
import { decodeCommandSet } from '../../src/command/index.js';
import type { CommandSet } from '../../src/command/index.js';
import { DimseAssociation } from '../../src/association/dimse-association.js';
import type { DimseLimits } from '../../src/association/dimse-limits.js';
import type {
  IncomingRequest,
  RequestDispatcher,
} from '../../src/association/incoming-requests.js';

/*
 * A raw DICOM peer for tests of the DIMSE layer: it speaks the Upper Layer only (hand-made
 * command bytes out, whole messages in), so nothing of the DIMSE code under test checks itself.
 */

export function fixture(name: string): Uint8Array {
  return fromHex(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

export const VERIFICATION = '1.2.840.10008.1.1';
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
export const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
export const COMMITMENT = '1.2.840.10008.1.20.1';
export const COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';
export const IMPLICIT = '1.2.840.10008.1.2';
export const EXPLICIT = '1.2.840.10008.1.2.1';

// Requests, hand-written from PS3.7 or captured from DCMTK (see each fixture's header).
export const ECHO_RQ_ID_5 = fixture('command-c-echo-rq.hex');
export const ECHO_RSP_ID_5 = fixture('command-c-echo-rsp.hex');
export const EVENT_REPORT_RQ_ID_21 = fixture('command-n-event-report-rq.hex');
export const ACTION_RQ_ID_27 = fixture('command-n-action-rq.hex');
export const FIND_RQ_ID_9 = fixture('command-c-find-rq.hex');
export const STORE_RQ_ID_1 = fixture('command-dcmtk-c-store-rq.hex');

/** A message as the raw peer received it. */
export interface Received {
  readonly contextId: number;
  readonly command: Uint8Array;
  readonly fields: CommandSet;
  readonly dataSet: Uint8Array | undefined;
}

/**
 * The other side, written against the Upper Layer only: it sends hand-made command bytes and
 * collects whole messages (PS3.8 Annex E) without any DIMSE logic of ours.
 */
export class RawPeer {
  readonly #ready: Received[] = [];
  readonly #waiting: ((message: Received) => void)[] = [];
  #command: Uint8Array[] = [];
  #open: { contextId: number; command: Uint8Array; data: Uint8Array[] } | undefined;

  constructor(readonly association: Association) {
    association.setHandlers({
      onPData: (pdu) => {
        for (const pdv of pdu.pdvs) this.#take(pdv);
      },
    });
  }

  #take(pdv: Pdv): void {
    if (pdv.isCommand) {
      this.#command.push(pdv.fragment);
      if (!pdv.isLast) return;
      const command = Buffer.concat(this.#command);
      this.#command = [];
      if (decodeCommandSet(command).commandDataSetType === 0x0101) {
        this.#deliver({ contextId: pdv.presentationContextId, command, data: [] }, false);
      } else {
        this.#open = { contextId: pdv.presentationContextId, command, data: [] };
      }
      return;
    }
    const open = this.#open;
    if (open === undefined) throw new Error('raw peer: data set without a command');
    open.data.push(pdv.fragment);
    if (pdv.isLast) {
      this.#open = undefined;
      this.#deliver(open, true);
    }
  }

  #deliver(
    message: { contextId: number; command: Uint8Array; data: Uint8Array[] },
    hasData: boolean,
  ): void {
    const received: Received = {
      contextId: message.contextId,
      command: message.command,
      fields: decodeCommandSet(message.command),
      dataSet: hasData ? Buffer.concat(message.data) : undefined,
    };
    const waiter = this.#waiting.shift();
    if (waiter) waiter(received);
    else this.#ready.push(received);
  }

  /** The next whole message; rejects after `ms` so a missing answer fails the test clearly. */
  next(ms = 5_000): Promise<Received> {
    const ready = this.#ready.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(onMessage), 1);
        reject(new Error(`no message from our side within ${ms} ms`));
      }, ms);
      const onMessage = (message: Received): void => {
        clearTimeout(timer);
        resolve(message);
      };
      this.#waiting.push(onMessage);
    });
  }

  /** Messages received and not yet taken. */
  get pending(): number {
    return this.#ready.length;
  }

  send(command: Uint8Array, dataSet?: DataSource, contextId = 1): Promise<void> {
    return this.association.sendMessage({
      presentationContextId: contextId,
      command,
      ...(dataSet !== undefined && { dataSet }),
    });
  }
}

/**
 * ARTIM of both sides. duplexPair delivers writes synchronously, so an A-ABORT sent while a
 * P-DATA is being received re-enters the sender's write; Node then never emits 'finish' for
 * the `end()` that follows, and the aborting side waits in Sta13 for ARTIM instead of the
 * transport close (real sockets never deliver synchronously). Keep that wait short.
 */
export const ARTIM = 1_000;

export interface Setup {
  /** What our side (a DimseAssociation) accepts or proposes. */
  readonly supported: readonly SupportedContext[];
  readonly proposed: readonly ProposedContext[];
  readonly dispatch?: RequestDispatcher;
  readonly limits?: DimseLimits;
  /**
   * The asynchronous operations window both directions propose and grant (PS3.7 D.3.3.3);
   * undefined leaves the item out (window 1).
   */
  readonly window?: number;
}

function proposedWindow(setup: Setup) {
  return setup.window === undefined
    ? {}
    : {
        asynchronousOperationsWindow: {
          maxOperationsInvoked: setup.window,
          maxOperationsPerformed: setup.window,
        },
      };
}

function grantedWindow(setup: Setup) {
  return setup.window === undefined
    ? {}
    : { maxOperationsInvoked: setup.window, maxOperationsPerformed: setup.window };
}

export const echoAnswer: RequestDispatcher = async () => ({
  message: { kind: 'C-ECHO-RSP', affectedSopClassUid: VERIFICATION, status: 0x0000 },
});

/** Our DimseAssociation as acceptor; the raw peer requested the association. */
export async function weAccept(setup: Setup): Promise<{ ours: DimseAssociation; peer: RawPeer }> {
  const [ourSocket, peerSocket] = duplexPair();
  const ours = new Promise<DimseAssociation>((resolve, reject) => {
    new Acceptor({
      policy: { contexts: setup.supported, ...grantedWindow(setup) },
      onAssociation: (association) =>
        resolve(new DimseAssociation(association, setup.dispatch ?? echoAnswer, setup.limits)),
      onFailure: reject,
      artimTimeout: ARTIM,
    }).handle(ourSocket);
  });
  const peerAssociation = await requestAssociation({
    callingAeTitle: 'PEER',
    calledAeTitle: 'US',
    contexts: setup.proposed,
    ...proposedWindow(setup),
    transport: async () => peerSocket,
    artimTimeout: ARTIM,
  });
  return { ours: await ours, peer: new RawPeer(peerAssociation) };
}

/** Our DimseAssociation as requestor; the raw peer accepted. */
export async function weRequest(setup: Setup): Promise<{ ours: DimseAssociation; peer: RawPeer }> {
  const [ourSocket, peerSocket] = duplexPair();
  const peerAssociation = new Promise<Association>((resolve, reject) => {
    new Acceptor({
      policy: { contexts: setup.supported, ...grantedWindow(setup) },
      onAssociation: resolve,
      onFailure: reject,
      artimTimeout: ARTIM,
    }).handle(peerSocket);
  });
  const association = await requestAssociation({
    callingAeTitle: 'US',
    calledAeTitle: 'PEER',
    contexts: setup.proposed,
    ...proposedWindow(setup),
    transport: async () => ourSocket,
    artimTimeout: ARTIM,
  });
  const ours = new DimseAssociation(association, setup.dispatch ?? echoAnswer, setup.limits);
  return { ours, peer: new RawPeer(await peerAssociation) };
}

/** A dispatcher that records its calls and answers C-ECHO only when `open()` is called. */
export function gatedEcho() {
  const calls: IncomingRequest[] = [];
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const dispatch: RequestDispatcher = async (request) => {
    calls.push(request);
    await gate;
    return echoAnswer(request);
  };
  return { calls, dispatch, open: () => open() };
}

export const verification: SupportedContext[] = [
  { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
];
export const proposeVerification: ProposedContext[] = [
  { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
];

/** Resolves to 'closed' when the connection closes within `ms`, else 'still open'. */
export function closedWithin(association: { closed: Promise<void> }, ms: number): Promise<string> {
  return Promise.race([
    association.closed.then(() => 'closed'),
    new Promise<string>((resolve) => setTimeout(() => resolve('still open'), ms).unref()),
  ]);
}
