import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteStoredPath, isStoredPath, storedPathOf } from './storage-path.js';

const ROOT = path.resolve('/srv/archive/instances');
const HOSTILE = [
  '../../../etc/passwd',
  '..',
  '/absolute/path',
  'C:\\Windows\\system32',
  'a\0b',
  '\0',
  '1.2.3/../../x',
  '9'.repeat(10_000),
  'Ünïcode 名前',
  '',
  '1.2.840.10008.5.1.4.1.1.7',
];

describe('storedPathOf', () => {
  it.each(HOSTILE)('keeps %j inside the root', (uid) => {
    const relative = storedPathOf(uid);
    expect(isStoredPath(relative)).toBe(true);
    const absolute = absoluteStoredPath(ROOT, relative);
    expect(path.relative(ROOT, absolute).startsWith('..')).toBe(false);
    expect(path.dirname(path.dirname(path.dirname(absolute)))).toBe(ROOT);
    expect(absolute).not.toContain('\0');
  });

  it('is stable and distinct per UID', () => {
    expect(storedPathOf('1.2.3')).toBe(storedPathOf('1.2.3'));
    expect(storedPathOf('1.2.3')).not.toBe(storedPathOf('1.2.30'));
    expect(storedPathOf('1.2.3')).toMatch(/^([0-9a-f]{2})\/([0-9a-f]{2})\/\1\2[0-9a-f]{60}\.dcm$/);
  });

  it('refuses a stored path of another shape (a tampered index row)', () => {
    for (const bad of ['../x.dcm', 'ab/cd/../../../../etc/passwd', '/etc/passwd', 'ab/cd/x.dcm'])
      expect(() => absoluteStoredPath(ROOT, bad)).toThrow(RangeError);
  });
});
