import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { duplexPair } from '@dicomnet/test-utils';
import type { AssociateAc, AssociateRq, Pdu } from '../codec/index.js';
import { decodePdu, encodePdu, PduReader } from '../codec/index.js';
import { Association, fireEvent } from '../association/association.js';
import { Deferred } from '../association/deferred.js';
import type { StateChangedMessage } from '../diagnostics.js';
import { DIAGNOSTICS_CHANNELS } from '../diagnostics.js';
import { buildAssociateRq } from '../negotiation/association-request.js';
import { decideAssociation } from '../negotiation/acceptor-policy.js';
import type { Event } from './events.js';
import { EVENTS } from './events.js';
import type { State } from './states.js';
import { STATES } from './states.js';
import type { Action } from './transition-table.js';
import { actionFor, isListed, TRANSITION_TABLE } from './transition-table.js';

/**
 * PS3.8 Table 9-10 written out again, independently of transition-table.ts, from the standard's
 * action definitions (Tables 9-6 to 9-9) and ../shared/spec/upper-layer.md §5.4: one row per
 * event, one cell per state Sta1..Sta13, `action>next state` ("3|13" for AE-6, "9|10" for AR-8 on
 * the requestor|acceptor), `.` for a blank cell. A transcription error in the code fails here.
 */
// prettier-ignore
const STANDARD = `
Evt1  AE-1>4 .       .       .      .       .      .       .      .      .       .       .      .
Evt2  .      .       .       AE-2>5 .       .      .       .      .      .       .       .      .
Evt3  .      AA-1>13 AA-8>13 .      AE-3>6  AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-6>13
Evt4  .      AA-1>13 AA-8>13 .      AE-4>1  AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-6>13
Evt5  AE-5>2 .       .       .      .       .      .       .      .      .       .       .      .
Evt6  .      AE-6>3|13 AA-8>13 .    AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-7>13
Evt7  .      .       AE-7>6  .      .       .      .       .      .      .       .       .      .
Evt8  .      .       AE-8>13 .      .       .      .       .      .      .       .       .      .
Evt9  .      .       .       .      .       DT-1>6 .       AR-7>8 .      .       .       .      .
Evt10 .      AA-1>13 AA-8>13 .      AA-8>13 DT-2>6 AR-6>7  AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-6>13
Evt11 .      .       .       .      .       AR-1>7 .       .      .      .       .       .      .
Evt12 .      AA-1>13 AA-8>13 .      AA-8>13 AR-2>8 AR-8>9|10 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-6>13
Evt13 .      AA-1>13 AA-8>13 .      AA-8>13 AA-8>13 AR-3>1 AA-8>13 AA-8>13 AR-10>12 AR-3>1 AA-8>13 AA-6>13
Evt14 .      .       .       .      .       .      .       AR-4>13 AR-9>11 .     .       AR-4>13 .
Evt15 .      .       AA-1>13 AA-2>1 AA-1>13 AA-1>13 AA-1>13 AA-1>13 AA-1>13 AA-1>13 AA-1>13 AA-1>13 .
Evt16 .      AA-2>1  AA-3>1  .      AA-3>1  AA-3>1 AA-3>1  AA-3>1 AA-3>1 AA-3>1  AA-3>1  AA-3>1 AA-2>1
Evt17 .      AA-5>1  AA-4>1  AA-4>1 AA-4>1  AA-4>1 AA-4>1  AA-4>1 AA-4>1 AA-4>1  AA-4>1  AA-4>1 AR-5>1
Evt18 .      AA-2>1  .       .      .       .      .       .      .      .       .       .      AA-2>1
Evt19 .      AA-1>13 AA-8>13 .      AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-8>13 AA-7>13
`;

interface Cell {
  readonly action: Action;
  /** Next state; for AE-6 and AR-8 the [requestor-or-first, acceptor-or-second] pair. */
  readonly next: readonly State[];
}

const CELLS: ReadonlyMap<string, Cell> = new Map(
  STANDARD.trim()
    .split('\n')
    .flatMap((line) => {
      const [event, ...cells] = line.trim().split(/ +/);
      if (cells.length !== 13) throw new Error(`${event}: ${cells.length} cells, not 13`);
      return cells.flatMap((cell, index) => {
        if (cell === '.') return [];
        const [action, next] = cell.split('>') as [Action, string];
        const states = next.split('|').map((n) => `Sta${n}` as State); // Sta1..Sta13 by construction
        return [[`Sta${index + 1} ${event}`, { action, next: states }] as const];
      });
    }),
);

/**
 * What the association must do: the standard's cell; for a blank cell our rule (decision record
 * 0001): AA-8, except a local abort in Sta2, which just closes (AA-2).
 */
function expectedCell(state: State, event: Event): Cell {
  const cell = CELLS.get(`${state} ${event}`);
  if (cell !== undefined) return cell;
  if (state === 'Sta2' && event === 'Evt15') return { action: 'AA-2', next: ['Sta1'] };
  return { action: 'AA-8', next: ['Sta13'] };
}

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const rq = buildAssociateRq({
  callingAeTitle: 'PEER',
  calledAeTitle: 'SUBJECT',
  contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
});
const decision = await decideAssociation(rq, {
  contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
});
const ac = decision.pdu as AssociateAc; // the policy accepts this RQ
const rj: Pdu = { type: 'A-ASSOCIATE-RJ', result: 1, source: 1, reason: 1 };
const pData: Pdu = {
  type: 'P-DATA-TF',
  pdvs: [{ presentationContextId: 1, isCommand: true, isLast: true, fragment: new Uint8Array(4) }],
};

/** The other end of the subject's connection: decodes what the subject sends, sends PDUs. */
class RawPeer {
  readonly received: Pdu[] = [];
  readonly #reader = new PduReader({ maxPduLength: 0 });
  constructor(readonly socket: Duplex) {
    socket.on('data', (chunk: Uint8Array) => {
      for (const raw of this.#reader.push(chunk)) this.received.push(decodePdu(raw));
    });
    socket.on('error', () => {});
  }
  send(pdu: Pdu): void {
    this.socket.write(encodePdu(pdu));
  }
}

interface Fixture {
  readonly subject: Association;
  readonly peer: RawPeer | undefined;
  /** Completes a pending transport connect (Sta4 only). */
  readonly connect?: () => void;
}

const tick = (ms = 2): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await tick(1);
}

const open: Association[] = [];

function make(role: 'requestor' | 'acceptor'): Association {
  const association = new Association(role, 16384, { artimTimeout: 5_000 });
  association.setHandlers({ onReleaseRequest: () => new Promise<void>(() => {}) }); // hold Sta8/9/12
  open.push(association);
  return association;
}

async function requestor(): Promise<Fixture> {
  const [ours, theirs] = duplexPair();
  const subject = make('requestor');
  const peer = new RawPeer(theirs);
  void subject.request(rq, async () => ours).catch(() => {});
  await until(() => subject.state === 'Sta5');
  return { subject, peer };
}

async function acceptor(decide: Deferred<AssociateAc>): Promise<Fixture> {
  const [ours, theirs] = duplexPair();
  const subject = make('acceptor');
  const peer = new RawPeer(theirs);
  void subject.accept(ours, () => decide.promise).catch(() => {});
  return { subject, peer };
}

async function established(): Promise<Fixture> {
  const fixture = await requestor();
  fixture.peer?.send(ac);
  await until(() => fixture.subject.state === 'Sta6');
  return fixture;
}

async function releasing(): Promise<Fixture> {
  const fixture = await established();
  void fixture.subject.release().catch(() => {});
  await until(() => fixture.subject.state === 'Sta7');
  return fixture;
}

async function acceptorReleasing(): Promise<Fixture> {
  const decide = new Deferred<AssociateAc>();
  const fixture = await acceptor(decide);
  fixture.peer?.send(rq);
  await until(() => fixture.subject.state === 'Sta3');
  decide.resolve(ac);
  await until(() => fixture.subject.state === 'Sta6');
  void fixture.subject.release().catch(() => {});
  await until(() => fixture.subject.state === 'Sta7');
  fixture.peer?.send({ type: 'A-RELEASE-RQ' });
  await until(() => fixture.subject.state === 'Sta10');
  return fixture;
}

/** Builds a real association in each state through the protocol itself. */
const FIXTURES: Record<State, () => Promise<Fixture>> = {
  Sta1: async () => ({ subject: make('requestor'), peer: undefined }),
  Sta2: () => acceptor(new Deferred()),
  Sta3: async () => {
    const fixture = await acceptor(new Deferred());
    fixture.peer?.send(rq);
    await until(() => fixture.subject.state === 'Sta3');
    return fixture;
  },
  Sta4: async () => {
    const [ours, theirs] = duplexPair();
    const subject = make('requestor');
    const connected = new Deferred<Duplex>();
    void subject.request(rq, () => connected.promise).catch(() => {});
    return { subject, peer: new RawPeer(theirs), connect: () => connected.resolve(ours) };
  },
  Sta5: requestor,
  Sta6: established,
  Sta7: releasing,
  Sta8: async () => {
    const fixture = await established();
    fixture.peer?.send({ type: 'A-RELEASE-RQ' });
    await until(() => fixture.subject.state === 'Sta8');
    return fixture;
  },
  Sta9: async () => {
    const fixture = await releasing();
    fixture.peer?.send({ type: 'A-RELEASE-RQ' });
    await until(() => fixture.subject.state === 'Sta9');
    return fixture;
  },
  Sta10: acceptorReleasing,
  Sta11: async () => {
    const fixture = await releasing();
    fixture.peer?.send({ type: 'A-RELEASE-RQ' });
    await until(() => fixture.subject.state === 'Sta9');
    void fixture.subject[fireEvent]('Evt14'); // the local user answers the collision
    return fixture;
  },
  Sta12: async () => {
    const fixture = await acceptorReleasing();
    fixture.peer?.send({ type: 'A-RELEASE-RP' });
    await until(() => fixture.subject.state === 'Sta12');
    return fixture;
  },
  Sta13: async () => {
    const fixture = await established();
    void fixture.subject.abort();
    await until(() => fixture.subject.state === 'Sta13');
    return fixture;
  },
};

/** Makes `event` happen to the subject, through the network where the event comes from it. */
function trigger(fixture: Fixture, event: Event): void {
  const { subject, peer } = fixture;
  const fromNetwork: Partial<Record<Event, Pdu>> = {
    Evt3: ac,
    Evt4: rj,
    Evt6: rq,
    Evt10: pData,
    Evt12: { type: 'A-RELEASE-RQ' },
    Evt13: { type: 'A-RELEASE-RP' },
    Evt16: { type: 'A-ABORT', source: 0, reason: 0 },
  };
  const pdu = fromNetwork[event];
  const connected = peer !== undefined && subject.state !== 'Sta1' && subject.state !== 'Sta4';
  if (event === 'Evt2' && fixture.connect !== undefined) return fixture.connect();
  if (connected && pdu !== undefined) return peer.send(pdu);
  if (connected && event === 'Evt17') return void peer.socket.destroy();
  if (connected && event === 'Evt19')
    return void peer.socket.write(Buffer.from([0x09, 0, 0, 0, 0, 0]));
  const inputs: Partial<Record<Event, Pdu>> = { ...fromNetwork, Evt7: ac, Evt8: rj };
  void subject[fireEvent](event, inputs[event]);
}

const SENDS: Partial<Record<Action, Pdu['type']>> = {
  'AE-2': 'A-ASSOCIATE-RQ',
  'AE-7': 'A-ASSOCIATE-AC',
  'AE-8': 'A-ASSOCIATE-RJ',
  'AR-1': 'A-RELEASE-RQ',
  'AR-4': 'A-RELEASE-RP',
  'AR-9': 'A-RELEASE-RP',
  'AA-1': 'A-ABORT',
  'AA-7': 'A-ABORT',
  'AA-8': 'A-ABORT',
};

function expectedNext(cell: Cell, subject: Association): State {
  const [first, second] = cell.next;
  if (second === undefined || cell.action === 'AE-6') return first as State; // AE-6: acceptable RQ
  return subject.role === 'requestor' ? (first as State) : second;
}

afterEach(async () => {
  await Promise.all(
    open.splice(0).map((association) => Promise.race([association.abort(), tick(50)])),
  );
});

describe('PS3.8 Table 9-10', () => {
  it('transition-table.ts holds exactly the 123 cells of the standard; blank cells are AA-8', () => {
    expect(CELLS.size).toBe(123);
    for (const state of STATES) {
      for (const event of EVENTS) {
        const cell = CELLS.get(`${state} ${event}`);
        expect(TRANSITION_TABLE[event][state], `${state} ${event}`).toBe(cell?.action);
        expect(isListed(state, event), `${state} ${event}`).toBe(cell !== undefined);
        expect(actionFor(state, event), `${state} ${event}`).toBe(cell?.action ?? 'AA-8');
      }
    }
  });

  for (const state of STATES) {
    describe(state, () => {
      for (const event of EVENTS) {
        const cell = expectedCell(state, event);
        const action = cell.action;
        const label = CELLS.has(`${state} ${event}`) ? action : `${action} (blank cell)`;
        const ignored = state === 'Sta1' && event !== 'Evt1' && event !== 'Evt5';
        it(`${event} → ${ignored ? 'ignored: no connection' : label}`, async () => {
          const fixture = await FIXTURES[state]();
          const { subject, peer } = fixture;
          expect(subject.state).toBe(state);
          const transitions: StateChangedMessage[] = [];
          const record = (message: unknown): void => {
            const change = message as StateChangedMessage; // published by diagnostics.ts
            if (change.associationId === subject.id) transitions.push(change);
          };
          subscribe(DIAGNOSTICS_CHANNELS.stateChanged, record);
          const sentBefore = peer?.received.length ?? 0;
          try {
            trigger(fixture, event);
            await until(() => transitions.some((change) => change.event === event));
            if (ignored) {
              expect(transitions).toEqual([]);
              expect(subject.state).toBe('Sta1');
              return;
            }
            const first = transitions.find((change) => change.event === event);
            expect(first).toMatchObject({
              from: state,
              event,
              action,
              to: expectedNext(cell, subject),
            });
            const sent = SENDS[action];
            const hasSocket = state !== 'Sta1' && state !== 'Sta4';
            if (sent !== undefined && hasSocket && peer !== undefined) {
              await until(() => peer.received.length > sentBefore);
              expect(peer.received.slice(sentBefore).map((pdu) => pdu.type)).toContain(sent);
            }
          } finally {
            unsubscribe(DIAGNOSTICS_CHANNELS.stateChanged, record);
          }
        });
      }
    });
  }
});

describe('Table 9-10 through the public API', () => {
  it('sends P-DATA in Sta6 (DT-1) and Sta8 (AR-7), and refuses it elsewhere without a state change', async () => {
    for (const state of ['Sta6', 'Sta8'] as const) {
      const { subject, peer } = await FIXTURES[state]();
      await subject.sendMessage({ presentationContextId: 1, command: new Uint8Array(2) });
      await until(() => peer?.received.some((pdu) => pdu.type === 'P-DATA-TF') === true);
      expect(subject.state).toBe(state);
    }
    const { subject } = await FIXTURES.Sta7();
    await expect(
      subject.sendMessage({ presentationContextId: 1, command: new Uint8Array(2) }),
    ).rejects.toMatchObject({
      code: 'DICOMNET_INVALID_STATE',
    });
    expect(subject.state).toBe('Sta7');
  });

  it('completes a requestor-side collision in order: Sta9 → Sta11 → Sta1', async () => {
    const fixture = await FIXTURES.Sta11();
    const peer = fixture.peer as RawPeer; // Sta11 has a connected peer
    await until(() => peer.received.some((pdu) => pdu.type === 'A-RELEASE-RP'));
    peer.send({ type: 'A-RELEASE-RP' });
    await fixture.subject.closed;
    expect(fixture.subject.error).toBeUndefined();
  });

  it('answers an A-ASSOCIATE-RQ with protocol version bit 0 clear with A-ASSOCIATE-RJ 1/2/2 (AE-6)', async () => {
    const fixture = await acceptor(new Deferred());
    const peer = fixture.peer as RawPeer; // acceptor fixtures have a peer
    const request: AssociateRq = { ...rq, protocolVersion: 2 };
    peer.send(request);
    await until(() => peer.received.length > 0);
    expect(peer.received[0]).toEqual({ type: 'A-ASSOCIATE-RJ', result: 1, source: 2, reason: 2 });
    expect(fixture.subject.state).toBe('Sta13');
  });
});
