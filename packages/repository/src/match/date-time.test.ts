import { describe, expect, it } from 'vitest';
import { normalizeDate, normalizeDateTime, normalizeTime } from './date-time.js';

// PS3.5 Table 6.2-1 (DA, TM, DT forms); PS3.4 C.2.2.2.5 (what a partial value covers in a range).
describe('DA, TM and DT as comparable strings', () => {
  it.each([
    ['20200229', '20200229'],
    ['20210229', undefined], // not a leap year
    ['20201301', undefined],
    ['2020.01.01', undefined], // ACR-NEMA form, retired
    ['202001', undefined],
  ])('DA %s -> %s', (value, expected) => {
    expect(normalizeDate(value)).toBe(expected);
  });

  it.each([
    ['10', 'low', '100000.000000'],
    ['10', 'high', '105959.999999'],
    ['1030', 'high', '103059.999999'],
    ['103015.5', 'low', '103015.500000'],
    ['103015.5', 'high', '103015.599999'],
    ['235960', 'low', '235960.000000'], // leap second
    ['2400', 'low', undefined],
    ['10:30', 'low', undefined],
    ['1030.5', 'low', undefined], // a fraction needs seconds
  ] as const)('TM %s at %s -> %s', (value, edge, expected) => {
    expect(normalizeTime(value, edge)).toBe(expected);
  });

  it.each([
    ['2020', 'low', 0, '20200101000000.000000'],
    ['2020', 'high', 0, '20201231235959.999999'],
    ['202002', 'high', 0, '20200229235959.999999'],
    ['20200101000000+0100', 'low', 0, '20191231230000.000000'], // C.2.2.2.5.3 d: offset counts
    ['20200101000000-0130', 'low', 0, '20200101013000.000000'],
    ['20200101000000', 'low', 60, '20191231230000.000000'],
    ['00010101', 'low', 0, '00010101000000.000000'], // years below 100 as written
    ['20210229', 'low', 0, undefined],
    ['2020010112+01', 'low', 0, undefined],
  ] as const)('DT %s at %s (default offset %d) -> %s', (value, edge, offset, expected) => {
    expect(normalizeDateTime(value, edge, offset)).toBe(expected);
  });
});
