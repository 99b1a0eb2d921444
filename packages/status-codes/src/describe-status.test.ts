import { describe, expect, it } from 'vitest';
import { describeStatus, formatStatus } from './describe-status.js';
import type { ServiceName } from './service-name.js';

describe('describeStatus', () => {
  it('prefers the service table over the general table', () => {
    expect(describeStatus(0xb000, 'Storage')).toEqual({
      code: 0xb000,
      category: 'Warning',
      meaning: 'Coercion of Data Elements',
      service: 'Storage',
      reference: 'PS3.4 Table B.2-1',
      known: true,
    });
    const move = describeStatus(0xb000, 'QueryRetrieveMove');
    expect(move.meaning).toBe('Sub-operations complete - one or more failures or warnings');
    expect(move.service).toBe('QueryRetrieveMove');
    expect(move.reference).toBe('PS3.4 Table C.4-2');
    expect(describeStatus(0x0110, 'ModalityPerformedProcedureStep').meaning).toMatch(
      /may no longer be updated/,
    );
  });

  it('matches ranges of a service table', () => {
    const storage = describeStatus(0xa7ff, 'Storage');
    expect(storage).toMatchObject({
      category: 'Failure',
      meaning: 'Refused: Out of resources',
      service: 'Storage',
      known: true,
    });
    const find = describeStatus(0xc123, 'QueryRetrieveFind');
    expect(find).toMatchObject({
      category: 'Failure',
      meaning: 'Failed: Unable to process',
      service: 'QueryRetrieveFind',
    });
  });

  it('tries exact codes before ranges', () => {
    // Print Management has C6xx codes; none of them is inside another row's range.
    expect(describeStatus(0xc605, 'PrintManagement').meaning).toMatch(/Insufficient memory/);
    // In C-FIND only A700 itself is listed, so A7FF comes from the general A7xx range.
    expect(describeStatus(0xa7ff, 'QueryRetrieveFind')).toMatchObject({
      meaning: 'Refused: Out of resources',
      service: 'General',
      reference: 'PS3.7 C.5.5',
    });
  });

  it('falls back to the general table when the service does not list the code', () => {
    expect(describeStatus(0x0122, 'Storage')).toEqual({
      code: 0x0122,
      category: 'Failure',
      meaning: 'Refused: SOP Class not supported',
      service: 'General',
      reference: 'PS3.7 C.5.6',
      known: true,
    });
    expect(describeStatus(0xa801)).toMatchObject({
      meaning: 'Refused: Move destination unknown',
      service: 'General',
    });
  });

  it('uses the general table when no service is given', () => {
    expect(describeStatus(0xb000)).toEqual({
      code: 0xb000,
      category: 'Warning',
      meaning: 'Unknown warning status',
      service: 'General',
      reference: 'PS3.7 Annex C',
      known: false,
    });
    expect(describeStatus(0x0000)).toMatchObject({ category: 'Success', known: true });
    expect(describeStatus(0xfe00)).toMatchObject({ category: 'Cancel', known: true });
    expect(describeStatus(0xff01)).toMatchObject({ category: 'Pending', known: true });
  });

  it('gives a generic meaning by category for unlisted codes', () => {
    expect(describeStatus(0xa123, 'Storage')).toMatchObject({
      category: 'Failure',
      meaning: 'Unknown failure status',
      known: false,
    });
    expect(describeStatus(0xb999, 'QueryRetrieveMove')).toMatchObject({
      category: 'Warning',
      meaning: 'Unknown warning status',
      service: 'General',
    });
  });

  it('marks codes outside every status class of PS3.7 Annex C', () => {
    for (const code of [0x0002, 0x0300, 0xd000, 0xfe01, 0xff02, 0xffff]) {
      const description = describeStatus(code);
      expect(description.category).toBe('Failure');
      expect(description.known).toBe(false);
      expect(description.meaning).toBe(
        'Unknown failure status (outside the status classes of PS3.7 Annex C)',
      );
    }
  });

  it.each([-1, 0x10000, 1.5, Number.NaN])('throws RangeError for code %s', (code) => {
    expect(() => describeStatus(code)).toThrow(RangeError);
    expect(() => describeStatus(code, 'Storage')).toThrow(RangeError);
  });

  it('throws RangeError for an unknown service name', () => {
    // A plain JavaScript caller can pass any string; the cast stands in for one.
    expect(() => describeStatus(0, 'Nonsense' as ServiceName)).toThrow(RangeError);
    expect(() => describeStatus(0, 'General' as ServiceName)).toThrow(RangeError);
  });
});

describe('formatStatus', () => {
  it.each([
    [0x0000, '0x0000'],
    [0x0123, '0x0123'],
    [0xb010, '0xB010'],
    [0xffff, '0xFFFF'],
  ])('formats %i as %s', (code, text) => {
    expect(formatStatus(code)).toBe(text);
  });

  it('throws RangeError for a non-16-bit value', () => {
    expect(() => formatStatus(0x10000)).toThrow(RangeError);
    expect(() => formatStatus(-1)).toThrow(RangeError);
  });
});
