import { DicomnetError } from '@dicomnet/data';

/**
 * Neither SQLite driver can be loaded: the runtime has no `node:sqlite` (Node < 22.13) and the
 * optional dependency `better-sqlite3` is not installed or was built for another Node ABI.
 * Code `DICOMNET_REPOSITORY_NO_SQLITE`; `cause` holds the last loader's failure.
 */
export class NoSqliteError extends DicomnetError {
  /**
   * @param detail - Why each driver could not be used.
   * @param options - `{ cause }`.
   */
  constructor(
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(
      'DICOMNET_REPOSITORY_NO_SQLITE',
      `no SQLite driver: ${detail} (use Node >= 22.13 for node:sqlite, or install better-sqlite3)`,
      options,
    );
  }
}

/**
 * The index was written by a newer version of this package (its schema version is higher than
 * the one this code knows); it is left untouched. Code `DICOMNET_REPOSITORY_SCHEMA_TOO_NEW`.
 */
export class SchemaTooNewError extends DicomnetError {
  /**
   * @param found - The database's `user_version`.
   * @param supported - The highest version this code migrates to.
   */
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      'DICOMNET_REPOSITORY_SCHEMA_TOO_NEW',
      `the index has schema version ${found}; this version of @dicomnet/repository knows up to ${supported}`,
    );
  }
}

/**
 * Why an instance was refused (see {@link InvalidInstanceError}):
 * - `sop-class-mismatch`: the data set's SOP Class UID is not the request's (PS3.4 B.2.3:
 *   0xA9xx "Data Set does not match SOP Class");
 * - `sop-instance-mismatch`: the data set's SOP Instance UID is not the request's;
 * - `missing-uid`: a UID the index is keyed on is absent;
 * - `malformed-uid`: a UID is not a UID (PS3.5 9.1 shape);
 * - `unreadable`: the data set cannot be parsed (0xCxxx "Cannot understand").
 */
export type InvalidInstanceReason =
  'sop-class-mismatch' | 'sop-instance-mismatch' | 'missing-uid' | 'malformed-uid' | 'unreadable';

/**
 * An instance the repository will not store or index: a UID it is keyed on (SOP Instance, SOP
 * Class, Study or Series Instance UID) is missing or not a UID, the data set disagrees with the
 * UIDs of its request, or it cannot be read. Nothing is stored. Code
 * `DICOMNET_REPOSITORY_INVALID_INSTANCE`; `reason` says which, for a Storage SCP's status.
 */
export class InvalidInstanceError extends DicomnetError {
  /**
   * @param reason - Which rule the instance breaks.
   * @param detail - What is wrong.
   */
  constructor(
    readonly reason: InvalidInstanceReason,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super('DICOMNET_REPOSITORY_INVALID_INSTANCE', `invalid instance: ${detail}`, options);
  }
}

/**
 * A store under the `reject` duplicate policy found the SOP Instance UID already stored; the
 * stored instance is unchanged. Code `DICOMNET_REPOSITORY_DUPLICATE`.
 */
export class DuplicateInstanceError extends DicomnetError {
  constructor(readonly sopInstanceUid: string) {
    super('DICOMNET_REPOSITORY_DUPLICATE', `SOP Instance UID ${sopInstanceUid} is already stored`);
  }
}

/**
 * No instance with this SOP Instance UID is stored (or its file has gone).
 * Code `DICOMNET_REPOSITORY_NOT_FOUND`.
 */
export class InstanceNotFoundError extends DicomnetError {
  constructor(
    readonly sopInstanceUid: string,
    options?: ErrorOptions,
  ) {
    super(
      'DICOMNET_REPOSITORY_NOT_FOUND',
      `no instance ${sopInstanceUid} in the repository`,
      options,
    );
  }
}

/** The repository was closed; nothing more can be done with it. Code `DICOMNET_REPOSITORY_CLOSED`. */
export class RepositoryClosedError extends DicomnetError {
  constructor() {
    super('DICOMNET_REPOSITORY_CLOSED', 'the repository is closed');
  }
}

/**
 * Another live process (or this one) has the storage root open: its lock file names a running
 * process. Remove the lock file only if that process is not using the root. Code
 * `DICOMNET_REPOSITORY_LOCKED`.
 */
export class RepositoryLockedError extends DicomnetError {
  constructor(
    readonly lockFile: string,
    readonly ownerPid: number | undefined,
  ) {
    super(
      'DICOMNET_REPOSITORY_LOCKED',
      `the repository is open in ${ownerPid === undefined ? 'another process' : `process ${ownerPid}`} (lock ${lockFile})`,
    );
  }
}

/**
 * A `match` cursor (`after`) that this repository did not make for this level: not one of its
 * cursors, or one from a query of another Query/Retrieve Level. Code
 * `DICOMNET_REPOSITORY_INVALID_CURSOR`.
 */
export class InvalidCursorError extends DicomnetError {
  /** @param detail - Why the cursor is refused. */
  constructor(readonly detail: string) {
    super('DICOMNET_REPOSITORY_INVALID_CURSOR', `invalid match cursor: ${detail}`);
  }
}

/**
 * Durable mode's store journal (a FileRepository's record of small stores) could not write or
 * sync a record. After a failed sync the operating system may have dropped what was written, so
 * the repository takes no further durable store until it is opened again (which replays what is
 * intact). Code
 * `DICOMNET_REPOSITORY_JOURNAL`; `cause` holds the file system's error.
 */
export class StoreJournalError extends DicomnetError {
  /**
   * @param path - The journal file.
   * @param step - What failed.
   * @param options - `{ cause }`.
   */
  constructor(
    readonly path: string,
    readonly step: 'write' | 'sync',
    options?: ErrorOptions,
  ) {
    super('DICOMNET_REPOSITORY_JOURNAL', `the store journal ${path} failed to ${step}`, options);
  }
}
