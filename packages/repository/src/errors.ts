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
