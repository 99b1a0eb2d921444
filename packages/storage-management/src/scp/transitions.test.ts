import { describe, expect, it } from 'vitest';
import type { TransactionStatus } from '../message-types.js';
import { isTerminal } from '../message-types.js';
import type { TransitionCause } from './transitions.js';
import { INITIAL_STATE, nextState } from './transitions.js';

const STATES: readonly TransactionStatus[] = [
  'PROCESSING',
  'PAUSED',
  'COMPLETE',
  'FAILURE',
  'CANCELED',
];
const CAUSES: readonly TransitionCause[] = ['pause', 'resume', 'cancel', 'complete', 'fail'];

describe('production states (PS3.4 KK.2)', () => {
  it('starts PROCESSING', () => {
    expect(INITIAL_STATE).toBe('PROCESSING');
  });

  it('allows exactly the moves of Figure KK.2-1', () => {
    const allowed: string[] = [];
    for (const from of STATES) {
      for (const cause of CAUSES) {
        const to = nextState(from, cause);
        if (to !== undefined) allowed.push(`${from} -${cause}-> ${to}`);
      }
    }
    expect(allowed.sort()).toEqual(
      [
        'PROCESSING -pause-> PAUSED',
        'PROCESSING -resume-> PROCESSING',
        'PROCESSING -cancel-> CANCELED',
        'PROCESSING -complete-> COMPLETE',
        'PROCESSING -fail-> FAILURE',
        'PAUSED -pause-> PAUSED',
        'PAUSED -resume-> PROCESSING',
        'PAUSED -cancel-> CANCELED',
        'PAUSED -fail-> FAILURE',
      ].sort(),
    );
  });

  it('never leaves a terminal state, and never completes a paused production', () => {
    for (const from of STATES.filter(isTerminal)) {
      for (const cause of CAUSES) expect(nextState(from, cause)).toBeUndefined();
    }
    expect(nextState('PAUSED', 'complete')).toBeUndefined();
  });
});
