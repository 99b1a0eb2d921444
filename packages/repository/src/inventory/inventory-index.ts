// The Inventory table of a repository's SQLite index (schema version 3): one row per Inventory
// instance, which has no patient, study or series to hang under (PS3.3 A.88).
import type { SqliteDatabase, SqliteRow, SqliteStatement } from '../sqlite/database.js';
import type { InventoryRecord } from './inventory-record.js';

/** One Inventory row as the repository reads it back. */
export interface InventoryRow extends InventoryRecord {
  /** When the instance was first stored (DICOM DT, UTC). */
  readonly receivedAt: string;
  /** When it was last stored (DICOM DT, UTC). */
  readonly updatedAt: string;
}

const COLUMNS = `sop_instance_uid, sop_class_uid, transfer_syntax_uid, specific_character_set,
  content_date, content_time, inventory_level, inventory_completion_status, inventory_purpose,
  transaction_uid, total_number_of_study_records, number_of_study_records_in_instance,
  scope_of_inventory, size_bytes, stored_path, file_mtime_ms, source_ae_title, received_at,
  updated_at`;

/** The Inventory rows of one SQLite database (schema of `prepareSchema`). Synchronous. */
export class InventoryIndex {
  readonly #db: SqliteDatabase;
  readonly #upsert: SqliteStatement;
  readonly #byUid: SqliteStatement;
  readonly #delete: SqliteStatement;
  readonly #all: SqliteStatement;
  readonly #page: SqliteStatement;
  readonly #pageByUids: SqliteStatement;
  readonly #pageByTransactions: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    // A SOP Instance UID already there is replaced in place; its first received date-time stays.
    this.#upsert = db.prepare(
      `INSERT INTO inventories (${COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sop_instance_uid) DO UPDATE SET
         sop_class_uid = excluded.sop_class_uid,
         transfer_syntax_uid = excluded.transfer_syntax_uid,
         specific_character_set = excluded.specific_character_set,
         content_date = excluded.content_date,
         content_time = excluded.content_time,
         inventory_level = excluded.inventory_level,
         inventory_completion_status = excluded.inventory_completion_status,
         inventory_purpose = excluded.inventory_purpose,
         transaction_uid = excluded.transaction_uid,
         total_number_of_study_records = excluded.total_number_of_study_records,
         number_of_study_records_in_instance = excluded.number_of_study_records_in_instance,
         scope_of_inventory = excluded.scope_of_inventory,
         size_bytes = excluded.size_bytes,
         stored_path = excluded.stored_path,
         file_mtime_ms = excluded.file_mtime_ms,
         source_ae_title = excluded.source_ae_title,
         updated_at = excluded.updated_at`,
    );
    this.#byUid = db.prepare(`SELECT ${COLUMNS} FROM inventories WHERE sop_instance_uid = ?`);
    this.#delete = db.prepare('DELETE FROM inventories WHERE sop_instance_uid = ?');
    this.#all = db.prepare(`SELECT ${COLUMNS} FROM inventories ORDER BY id`);
    this.#page = db.prepare(
      `SELECT ${COLUMNS} FROM inventories WHERE sop_instance_uid > ?
       ORDER BY sop_instance_uid LIMIT ?`,
    );
    // A list of UIDs as one JSON array parameter: no limit on the number of bound variables.
    this.#pageByUids = db.prepare(
      `SELECT ${COLUMNS} FROM inventories
       WHERE sop_instance_uid IN (SELECT value FROM json_each(?)) AND sop_instance_uid > ?
       ORDER BY sop_instance_uid LIMIT ?`,
    );
    this.#pageByTransactions = db.prepare(
      `SELECT ${COLUMNS} FROM inventories
       WHERE transaction_uid IN (SELECT value FROM json_each(?)) AND sop_instance_uid > ?
       ORDER BY sop_instance_uid LIMIT ?`,
    );
  }

  /** Stores the rows of `records` in one transaction, replacing rows of the same UID. */
  put(records: readonly InventoryRecord[], now: string): void {
    if (records.length === 0) return;
    this.#db.transaction(() => {
      for (const r of records) {
        this.#upsert.run([
          r.sopInstanceUid,
          r.sopClassUid,
          r.transferSyntaxUid,
          r.specificCharacterSet ?? null,
          r.contentDate ?? null,
          r.contentTime ?? null,
          r.inventoryLevel ?? null,
          r.inventoryCompletionStatus ?? null,
          r.inventoryPurpose ?? null,
          r.transactionUid ?? null,
          r.totalNumberOfStudyRecords ?? null,
          r.numberOfStudyRecordsInInstance ?? null,
          r.scopeOfInventory ?? null,
          r.sizeBytes,
          r.storedPath,
          r.fileMtimeMs,
          r.sourceAeTitle ?? null,
          now,
          now,
        ]);
      }
    });
  }

  /** The row of one Inventory instance. */
  get(sopInstanceUid: string): InventoryRow | undefined {
    const row = this.#byUid.get([sopInstanceUid]);
    return row === undefined ? undefined : toInventoryRow(row);
  }

  /** Removes a row; returns it when it was there. */
  remove(sopInstanceUid: string): InventoryRow | undefined {
    return this.#db.transaction(() => {
      const row = this.get(sopInstanceUid);
      if (row !== undefined) this.#delete.run([sopInstanceUid]);
      return row;
    });
  }

  /** Every row, in insertion order, one at a time. */
  *all(): IterableIterator<InventoryRow> {
    for (const row of this.#all.iterate()) yield toInventoryRow(row);
  }

  /**
   * Up to `limit` rows after SOP Instance UID `after` ('' for the first), in UID order; with
   * `only`, just those whose SOP Instance UID or Transaction UID is one of `only.uids`.
   */
  page(
    after: string,
    limit: number,
    only?: { readonly key: 'sopInstanceUid' | 'transactionUid'; readonly uids: readonly string[] },
  ): InventoryRow[] {
    if (only === undefined) return this.#page.all([after, limit]).map(toInventoryRow);
    const statement = only.key === 'sopInstanceUid' ? this.#pageByUids : this.#pageByTransactions;
    return statement.all([JSON.stringify(only.uids), after, limit]).map(toInventoryRow);
  }
}

function optional(value: SqliteRow[string] | undefined): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function toInventoryRow(row: SqliteRow): InventoryRow {
  return {
    sopInstanceUid: String(row.sop_instance_uid),
    sopClassUid: String(row.sop_class_uid),
    transferSyntaxUid: String(row.transfer_syntax_uid),
    specificCharacterSet: optional(row.specific_character_set),
    contentDate: optional(row.content_date),
    contentTime: optional(row.content_time),
    inventoryLevel: optional(row.inventory_level),
    inventoryCompletionStatus: optional(row.inventory_completion_status),
    inventoryPurpose: optional(row.inventory_purpose),
    transactionUid: optional(row.transaction_uid),
    totalNumberOfStudyRecords: optional(row.total_number_of_study_records),
    numberOfStudyRecordsInInstance: optional(row.number_of_study_records_in_instance),
    scopeOfInventory: optional(row.scope_of_inventory),
    sizeBytes: Number(row.size_bytes),
    storedPath: String(row.stored_path),
    fileMtimeMs: Number(row.file_mtime_ms),
    sourceAeTitle: optional(row.source_ae_title),
    receivedAt: String(row.received_at),
    updatedAt: String(row.updated_at),
  };
}
