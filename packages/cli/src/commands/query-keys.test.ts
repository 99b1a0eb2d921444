import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../command-line/command-spec.js';
import { keyName, queryKey } from './query-keys.js';

describe('queryKey', () => {
  it('reads a keyword with or without a value to match', () => {
    expect(queryKey('PatientID=PAT1')).toEqual({ tag: 0x00100020, value: 'PAT1' });
    expect(queryKey('StudyInstanceUID')).toEqual({ tag: 0x0020000d, value: '' });
    expect(queryKey('PatientName=Doe^J*')).toEqual({ tag: 0x00100010, value: 'Doe^J*' });
    expect(queryKey('StudyDate=20260101-20261231')).toEqual({
      tag: 0x00080020,
      value: '20260101-20261231',
    });
  });

  it('reads a tag as DCMTK writes it, with or without parentheses', () => {
    expect(queryKey('0010,0020=X')).toEqual({ tag: 0x00100020, value: 'X' });
    expect(queryKey('(0008,0060)')).toEqual({ tag: 0x00080060, value: '' });
    expect(queryKey('0009102a=private')).toEqual({ tag: 0x0009102a, value: 'private' });
  });

  it('refuses an unknown keyword and a malformed tag', () => {
    expect(() => queryKey('PatientId=1')).toThrow(InvalidValueError);
    expect(() => queryKey('0010,002=1')).toThrow(InvalidValueError);
    expect(() => queryKey('constructor')).toThrow(InvalidValueError);
  });
});

describe('keyName', () => {
  it('names a known tag by its keyword and another by (gggg,eeee)', () => {
    expect(keyName(0x0020000e)).toBe('SeriesInstanceUID');
    expect(keyName(0x0009102a)).toBe('(0009,102A)');
  });
});
