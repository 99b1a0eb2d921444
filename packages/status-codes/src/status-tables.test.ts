import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES, isServiceName } from './service-name.js';
import type { StatusTableName } from './service-name.js';
import { statusCategory } from './status-category.js';
import { statusesOf } from './status-tables.js';
import { ApplicationEventLoggingStatus } from './tables/event-logging.js';
import { GeneralStatus } from './tables/general.js';
import { MediaCreationManagementStatus } from './tables/media-creation.js';
import { PrintManagementStatus } from './tables/print-management.js';
import { UnifiedProcedureStepStatus } from './tables/procedure-step.js';
import {
  QueryRetrieveFindStatus,
  QueryRetrieveGetStatus,
  QueryRetrieveMoveStatus,
} from './tables/query-retrieve.js';
import { RtMachineVerificationStatus } from './tables/rt-machine-verification.js';
import { StorageStatus } from './tables/storage.js';
import { StorageCommitmentFailureReason } from './tables/storage-commitment.js';
import { StorageManagementStatus } from './tables/storage-management.js';

const TABLE_NAMES: readonly StatusTableName[] = ['General', ...SERVICE_NAMES];

// Each constant object and the tables whose rows it names.
const constants: ReadonlyArray<readonly [string, Record<string, number>, StatusTableName[]]> = [
  ['GeneralStatus', GeneralStatus, ['General']],
  ['StorageStatus', StorageStatus, ['Storage']],
  ['QueryRetrieveFindStatus', QueryRetrieveFindStatus, ['QueryRetrieveFind']],
  ['QueryRetrieveMoveStatus', QueryRetrieveMoveStatus, ['QueryRetrieveMove']],
  ['QueryRetrieveGetStatus', QueryRetrieveGetStatus, ['QueryRetrieveGet']],
  [
    'StorageCommitmentFailureReason',
    StorageCommitmentFailureReason,
    ['StorageCommitmentFailureReason'],
  ],
  [
    'StorageManagementStatus',
    StorageManagementStatus,
    ['StorageManagementAction', 'StorageManagementEventReport'],
  ],
  ['UnifiedProcedureStepStatus', UnifiedProcedureStepStatus, ['UnifiedProcedureStep']],
  ['PrintManagementStatus', PrintManagementStatus, ['PrintManagement']],
  ['MediaCreationManagementStatus', MediaCreationManagementStatus, ['MediaCreationManagement']],
  ['ApplicationEventLoggingStatus', ApplicationEventLoggingStatus, ['ApplicationEventLogging']],
  ['RtMachineVerificationStatus', RtMachineVerificationStatus, ['RtMachineVerification']],
];

describe('constants and tables agree', () => {
  it.each(constants)('every member of %s is a row of its table', (_name, members, tables) => {
    for (const [member, code] of Object.entries(members)) {
      const listed = tables.some((name) =>
        statusesOf(name).some((row) => code >= row.code && code <= row.lastCode),
      );
      expect(listed, `${member} = 0x${code.toString(16)}`).toBe(true);
    }
  });

  it('has no two members of one constant object with the same code', () => {
    for (const [name, members] of constants) {
      const codes = Object.values(members);
      expect(new Set(codes).size, name).toBe(codes.length);
    }
  });
});

describe('every table', () => {
  it('exists, is not empty and is frozen for every service context', () => {
    for (const name of TABLE_NAMES) {
      const rows = statusesOf(name);
      expect(rows.length, name).toBeGreaterThan(0);
      expect(Object.isFrozen(rows), name).toBe(true);
      for (const row of rows) expect(Object.isFrozen(row), name).toBe(true);
    }
  });

  // The standard puts every row in the class its code has under PS3.7 Annex C; no table read
  // for this package disagrees, so there is no exception to list here.
  it('puts each row in the category statusCategory() gives its codes', () => {
    for (const name of TABLE_NAMES) {
      for (const row of statusesOf(name)) {
        const where = `${name} 0x${row.code.toString(16)}`;
        expect(row.category, where).toBe(statusCategory(row.code));
        expect(row.category, where).toBe(statusCategory(row.lastCode));
      }
    }
  });

  it('is sorted by code, without duplicate or overlapping rows', () => {
    for (const name of TABLE_NAMES) {
      const rows = statusesOf(name);
      rows.forEach((row, index) => {
        expect(row.lastCode, name).toBeGreaterThanOrEqual(row.code);
        const next = rows[index + 1];
        if (next !== undefined) expect(next.code, name).toBeGreaterThan(row.lastCode);
      });
    }
  });

  it('gives every row a meaning and a reference into the standard', () => {
    for (const name of TABLE_NAMES) {
      for (const row of statusesOf(name)) {
        expect(row.meaning.length, name).toBeGreaterThan(0);
        expect(row.reference, name).toMatch(/^PS3\.\d+ /);
      }
    }
  });

  it('refuses an unknown table name', () => {
    // A plain JavaScript caller can pass any string; the cast stands in for one.
    expect(() => statusesOf('Nonsense' as StatusTableName)).toThrow(RangeError);
    expect(() => statusesOf('toString' as StatusTableName)).toThrow(RangeError);
  });
});

describe('SERVICE_NAMES', () => {
  it('has no duplicates and is recognised by isServiceName', () => {
    expect(new Set(SERVICE_NAMES).size).toBe(SERVICE_NAMES.length);
    for (const name of SERVICE_NAMES) expect(isServiceName(name)).toBe(true);
    expect(isServiceName('General')).toBe(false);
    expect(isServiceName(42)).toBe(false);
  });
});

describe('package.json', () => {
  it('declares no runtime dependency', () => {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const manifest: Record<string, unknown> = JSON.parse(text);
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
  });
});
