import { describe, expect, it } from 'vitest';
import { INVENTORY_LEVELS, isTerminal } from './message-types.js';

describe('production states (PS3.4 KK.2)', () => {
  it('ends at COMPLETE, FAILURE and CANCELED only', () => {
    expect(['COMPLETE', 'FAILURE', 'CANCELED'].every((s) => isTerminal(s as never))).toBe(true);
    expect(isTerminal('PROCESSING')).toBe(false);
    expect(isTerminal('PAUSED')).toBe(false);
  });

  it('knows the three Inventory Levels of C.38.1', () => {
    expect(INVENTORY_LEVELS).toEqual(['STUDY', 'SERIES', 'INSTANCE']);
  });
});
