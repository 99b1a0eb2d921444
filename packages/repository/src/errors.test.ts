import { DicomnetError } from '@dicomnet/data';
import { describe, expect, it } from 'vitest';
import { NoSqliteError } from './errors.js';

describe('repository errors', () => {
  it('carry a stable code and the shared dicomnet brand', () => {
    const cause = new Error('ERR_DLOPEN_FAILED');
    const error = new NoSqliteError('better-sqlite3: wrong ABI', { cause });
    expect(error.code).toBe('DICOMNET_REPOSITORY_NO_SQLITE');
    expect(DicomnetError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(DicomnetError);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('wrong ABI');
  });
});
