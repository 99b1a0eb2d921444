import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  absoluteStoredPath,
  INSTANCE_FOLDERS,
  isStoredPath,
  isStoredPathOf,
  storedPathOf,
} from './storage-path.js';

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
  it('is the SHA-256 of the UID in hex, in the folder of its first byte', () => {
    // `printf '1.2.3' | sha256sum`: the path of every file already stored depends on it.
    const digest = 'c47f5b18b8a430e698b9fe15e51f6119984e78334bcf3f45e210d30c37ef2f9e';
    expect(storedPathOf('1.2.3')).toBe(`c4/${digest}.dcm`);
    expect(isStoredPathOf('1.2.3', `c4/${digest.slice(2, 4)}/${digest}.dcm`)).toBe(true);
  });

  it.each(HOSTILE)('keeps %j inside the root', (uid) => {
    const relative = storedPathOf(uid);
    expect(isStoredPath(relative)).toBe(true);
    const absolute = absoluteStoredPath(ROOT, relative);
    expect(path.relative(ROOT, absolute).startsWith('..')).toBe(false);
    expect(path.dirname(path.dirname(absolute))).toBe(ROOT);
    expect(INSTANCE_FOLDERS).toContain(path.basename(path.dirname(absolute)));
    expect(absolute).not.toContain('\0');
  });

  it('is stable and distinct per UID', () => {
    expect(storedPathOf('1.2.3')).toBe(storedPathOf('1.2.3'));
    expect(storedPathOf('1.2.3')).not.toBe(storedPathOf('1.2.30'));
    expect(storedPathOf('1.2.3')).toMatch(/^([0-9a-f]{2})\/\1[0-9a-f]{62}\.dcm$/);
  });

  it('puts every instance in one of 256 folders, made when the repository opens', () => {
    expect(new Set(INSTANCE_FOLDERS).size).toBe(256);
    const folders = new Set(
      Array.from({ length: 2000 }, (_, n) => storedPathOf(`1.2.826.0.1.${n}`).slice(0, 2)),
    );
    for (const folder of folders) expect(INSTANCE_FOLDERS).toContain(folder);
    expect(folders.size).toBeGreaterThan(200);
  });

  it('still knows the two-level paths of the first repositories, and nothing else', () => {
    const current = storedPathOf('1.2.3');
    const hash = current.slice(3, 67);
    const legacy = `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.dcm`;
    expect(isStoredPath(legacy)).toBe(true);
    expect(absoluteStoredPath(ROOT, legacy)).toBe(path.join(ROOT, ...legacy.split('/')));
    expect(isStoredPathOf('1.2.3', current)).toBe(true);
    expect(isStoredPathOf('1.2.3', legacy)).toBe(true);
    expect(isStoredPathOf('1.2.30', current)).toBe(false);
    expect(isStoredPathOf('1.2.30', legacy)).toBe(false);
    // A folder that does not repeat the hash's first bytes is not ours.
    expect(isStoredPath(`00/${hash}.dcm`.replace(/^00/, hash.startsWith('00') ? '01' : '00'))).toBe(
      false,
    );
  });

  it('refuses a stored path of another shape (a tampered index row)', () => {
    for (const bad of [
      '../x.dcm',
      'ab/cd/../../../../etc/passwd',
      '/etc/passwd',
      'ab/cd/x.dcm',
      'ab/x.dcm',
    ])
      expect(() => absoluteStoredPath(ROOT, bad)).toThrow(RangeError);
  });
});
