/**
 * The thirteen states of the DICOM Upper Layer state machine (PS3.8 §9.2.1, Tables 9-1 to 9-5).
 * An association is always in exactly one of them.
 */
export const STATE_DESCRIPTIONS = {
  Sta1: 'Idle',
  Sta2: 'Transport connection open (awaiting A-ASSOCIATE-RQ PDU)',
  Sta3: 'Awaiting local A-ASSOCIATE response primitive (from local user)',
  Sta4: 'Awaiting transport connection opening to complete (from local transport service)',
  Sta5: 'Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU',
  Sta6: 'Association established and ready for data transfer',
  Sta7: 'Awaiting A-RELEASE-RP PDU',
  Sta8: 'Awaiting local A-RELEASE response primitive (from local user)',
  Sta9: 'Release collision requestor side; awaiting A-RELEASE response (from local user)',
  Sta10: 'Release collision acceptor side; awaiting A-RELEASE-RP PDU',
  Sta11: 'Release collision requestor side; awaiting A-RELEASE-RP PDU',
  Sta12: 'Release collision acceptor side; awaiting A-RELEASE response primitive (from local user)',
  Sta13: 'Awaiting transport connection close indication (association no longer exists)',
} as const;

/** A state of the Upper Layer state machine, `'Sta1'` … `'Sta13'` (PS3.8 §9.2.1). */
export type State = keyof typeof STATE_DESCRIPTIONS;

/** Every state, in the standard's order. */
export const STATES = Object.keys(STATE_DESCRIPTIONS) as readonly State[]; // keys of the literal above
