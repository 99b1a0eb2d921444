import { describe, expect, it } from 'vitest';
import { isInStatusClass, statusCategory } from './status-category.js';
import type { StatusCategory } from './status-category.js';

// Every boundary of the class convention in PS3.7 Annex C, written out by hand.
const boundaries: ReadonlyArray<readonly [number, StatusCategory, boolean]> = [
  [0x0000, 'Success', true],
  [0x0001, 'Warning', true],
  [0x0002, 'Failure', false],
  [0x00ff, 'Failure', false],
  [0x0100, 'Failure', true],
  [0x0106, 'Failure', true],
  [0x0107, 'Warning', true],
  [0x0108, 'Failure', true],
  [0x0115, 'Failure', true],
  [0x0116, 'Warning', true],
  [0x0117, 'Failure', true],
  [0x01ff, 'Failure', true],
  [0x0200, 'Failure', true],
  [0x02ff, 'Failure', true],
  [0x0300, 'Failure', false],
  [0x9fff, 'Failure', false],
  [0xa000, 'Failure', true],
  [0xafff, 'Failure', true],
  [0xb000, 'Warning', true],
  [0xbfff, 'Warning', true],
  [0xc000, 'Failure', true],
  [0xcfff, 'Failure', true],
  [0xd000, 'Failure', false],
  [0xfdff, 'Failure', false],
  [0xfe00, 'Cancel', true],
  [0xfe01, 'Failure', false],
  [0xfeff, 'Failure', false],
  [0xff00, 'Pending', true],
  [0xff01, 'Pending', true],
  [0xff02, 'Failure', false],
  [0xffff, 'Failure', false],
];

describe('statusCategory', () => {
  it.each(boundaries)('classifies 0x%s', (code, category) => {
    expect(statusCategory(code)).toBe(category);
  });

  it.each([-1, 0x10000, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5])(
    'throws RangeError for %s',
    (code) => {
      expect(() => statusCategory(code)).toThrow(RangeError);
    },
  );

  it('throws RangeError for a value that is not a number at all', () => {
    // Plain JavaScript callers can pass anything; the cast stands in for such a caller.
    expect(() => statusCategory('0' as unknown as number)).toThrow(RangeError);
  });
});

describe('isInStatusClass', () => {
  it.each(boundaries)('tells whether 0x%s is in a class of PS3.7 Annex C', (code, _c, inClass) => {
    expect(isInStatusClass(code)).toBe(inClass);
  });

  it('validates its input like statusCategory', () => {
    expect(() => isInStatusClass(0x10000)).toThrow(RangeError);
  });
});
