import type { Event } from './events.js';
import type { State } from './states.js';

/**
 * The actions of PS3.8 §9.2.2 (Tables 9-6 to 9-9) with the state each leads to. AE-6 and AR-8
 * branch: AE-6 goes to Sta3 when the provider finds the A-ASSOCIATE-RQ acceptable and to Sta13
 * after sending A-ASSOCIATE-RJ; AR-8 goes to Sta9 on the association-requestor and to Sta10 on
 * the acceptor.
 */
export const ACTION_NEXT_STATE = {
  'AE-1': 'Sta4', // issue TRANSPORT CONNECT request
  'AE-2': 'Sta5', // send A-ASSOCIATE-RQ
  'AE-3': 'Sta6', // A-ASSOCIATE confirmation (accept)
  'AE-4': 'Sta1', // A-ASSOCIATE confirmation (reject), close transport
  'AE-5': 'Sta2', // transport connection response, start ARTIM
  'AE-6': ['Sta3', 'Sta13'], // stop ARTIM; indication, or send A-ASSOCIATE-RJ and start ARTIM
  'AE-7': 'Sta6', // send A-ASSOCIATE-AC
  'AE-8': 'Sta13', // send A-ASSOCIATE-RJ, start ARTIM
  'DT-1': 'Sta6', // send P-DATA-TF
  'DT-2': 'Sta6', // P-DATA indication
  'AR-1': 'Sta7', // send A-RELEASE-RQ
  'AR-2': 'Sta8', // A-RELEASE indication
  'AR-3': 'Sta1', // A-RELEASE confirmation, close transport
  'AR-4': 'Sta13', // send A-RELEASE-RP, start ARTIM
  'AR-5': 'Sta1', // stop ARTIM
  'AR-6': 'Sta7', // P-DATA indication while awaiting A-RELEASE-RP
  'AR-7': 'Sta8', // send P-DATA-TF while the peer awaits our A-RELEASE-RP
  'AR-8': ['Sta9', 'Sta10'], // A-RELEASE indication (release collision)
  'AR-9': 'Sta11', // send A-RELEASE-RP
  'AR-10': 'Sta12', // A-RELEASE confirmation
  'AA-1': 'Sta13', // send A-ABORT (service-user source), start or restart ARTIM
  'AA-2': 'Sta1', // stop ARTIM if running, close transport
  'AA-3': 'Sta1', // A-ABORT or A-P-ABORT indication, close transport
  'AA-4': 'Sta1', // A-P-ABORT indication
  'AA-5': 'Sta1', // stop ARTIM
  'AA-6': 'Sta13', // ignore the PDU
  'AA-7': 'Sta13', // send A-ABORT
  'AA-8': 'Sta13', // send A-ABORT (service-provider source), A-P-ABORT indication, start ARTIM
} as const satisfies Record<string, State | readonly [State, State]>;

/** An action of the state machine (PS3.8 §9.2.2). */
export type Action = keyof typeof ACTION_NEXT_STATE;

type Row = Partial<Record<State, Action>>;

/**
 * PS3.8 Table 9-10, transcribed row by row (event → state → action). The cells were compared
 * with two independent transcriptions (pynetdicom and DCMTK), which agree on all 123 of them;
 * see docs/decisions/0001-state-table.md. Blank cells are absent here: {@link actionFor} maps
 * them to AA-8.
 */
// prettier-ignore
export const TRANSITION_TABLE: Readonly<Record<Event, Readonly<Row>>> = {
  Evt1: { Sta1: 'AE-1' },
  Evt2: { Sta4: 'AE-2' },
  Evt3: {
    Sta2: 'AA-1', Sta3: 'AA-8', Sta5: 'AE-3', Sta6: 'AA-8', Sta7: 'AA-8', Sta8: 'AA-8',
    Sta9: 'AA-8', Sta10: 'AA-8', Sta11: 'AA-8', Sta12: 'AA-8', Sta13: 'AA-6',
  },
  Evt4: {
    Sta2: 'AA-1', Sta3: 'AA-8', Sta5: 'AE-4', Sta6: 'AA-8', Sta7: 'AA-8', Sta8: 'AA-8',
    Sta9: 'AA-8', Sta10: 'AA-8', Sta11: 'AA-8', Sta12: 'AA-8', Sta13: 'AA-6',
  },
  Evt5: { Sta1: 'AE-5' },
  Evt6: {
    Sta2: 'AE-6', Sta3: 'AA-8', Sta5: 'AA-8', Sta6: 'AA-8', Sta7: 'AA-8', Sta8: 'AA-8',
    Sta9: 'AA-8', Sta10: 'AA-8', Sta11: 'AA-8', Sta12: 'AA-8', Sta13: 'AA-7',
  },
  Evt7: { Sta3: 'AE-7' },
  Evt8: { Sta3: 'AE-8' },
  Evt9: { Sta6: 'DT-1', Sta8: 'AR-7' },
  Evt10: {
    Sta2: 'AA-1', Sta3: 'AA-8', Sta5: 'AA-8', Sta6: 'DT-2', Sta7: 'AR-6', Sta8: 'AA-8',
    Sta9: 'AA-8', Sta10: 'AA-8', Sta11: 'AA-8', Sta12: 'AA-8', Sta13: 'AA-6',
  },
  Evt11: { Sta6: 'AR-1' },
  Evt12: {
    Sta2: 'AA-1', Sta3: 'AA-8', Sta5: 'AA-8', Sta6: 'AR-2', Sta7: 'AR-8', Sta8: 'AA-8',
    Sta9: 'AA-8', Sta10: 'AA-8', Sta11: 'AA-8', Sta12: 'AA-8', Sta13: 'AA-6',
  },
  Evt13: {
    Sta2: 'AA-1', Sta3: 'AA-8', Sta5: 'AA-8', Sta6: 'AA-8', Sta7: 'AR-3', Sta8: 'AA-8',
    Sta9: 'AA-8', Sta10: 'AR-10', Sta11: 'AR-3', Sta12: 'AA-8', Sta13: 'AA-6',
  },
  Evt14: { Sta8: 'AR-4', Sta9: 'AR-9', Sta12: 'AR-4' },
  Evt15: {
    Sta3: 'AA-1', Sta4: 'AA-2', Sta5: 'AA-1', Sta6: 'AA-1', Sta7: 'AA-1', Sta8: 'AA-1',
    Sta9: 'AA-1', Sta10: 'AA-1', Sta11: 'AA-1', Sta12: 'AA-1',
  },
  Evt16: {
    Sta2: 'AA-2', Sta3: 'AA-3', Sta5: 'AA-3', Sta6: 'AA-3', Sta7: 'AA-3', Sta8: 'AA-3',
    Sta9: 'AA-3', Sta10: 'AA-3', Sta11: 'AA-3', Sta12: 'AA-3', Sta13: 'AA-2',
  },
  Evt17: {
    Sta2: 'AA-5', Sta3: 'AA-4', Sta4: 'AA-4', Sta5: 'AA-4', Sta6: 'AA-4', Sta7: 'AA-4',
    Sta8: 'AA-4', Sta9: 'AA-4', Sta10: 'AA-4', Sta11: 'AA-4', Sta12: 'AA-4', Sta13: 'AR-5',
  },
  Evt18: { Sta2: 'AA-2', Sta13: 'AA-2' },
  Evt19: {
    Sta2: 'AA-1', Sta3: 'AA-8', Sta5: 'AA-8', Sta6: 'AA-8', Sta7: 'AA-8', Sta8: 'AA-8',
    Sta9: 'AA-8', Sta10: 'AA-8', Sta11: 'AA-8', Sta12: 'AA-8', Sta13: 'AA-7',
  },
};

/** Whether Table 9-10 lists the (state, event) cell. */
export function isListed(state: State, event: Event): boolean {
  return TRANSITION_TABLE[event][state] !== undefined;
}

/**
 * The action for an event in a state: the cell of Table 9-10, or AA-8 (provider abort) for a
 * cell the table leaves blank — an event the protocol does not expect there.
 */
export function actionFor(state: State, event: Event): Action {
  return TRANSITION_TABLE[event][state] ?? 'AA-8';
}
