// The SCP's memory of its transactions, in SQLite (through @dicomnet/repository's adapter): what
// was asked, how far production got, and the N-EVENT-REPORTs still owed, so that an SCP restarted
// in the middle resumes from its checkpoint and still delivers the terminal event (PS3.4 KK.2.3.2;
// Transaction UIDs correlate across associations and restarts, KK.2.2.2).
import type { DataSet } from '@dicomnet/data';
import { createElementCodec, TransferSyntax } from '@dicomnet/data';
import type { SqliteDatabase, SqliteRow } from '@dicomnet/repository';
import { openSqlite } from '@dicomnet/repository';
import type { InventoryLevel, TransactionStatus } from '../message-types.js';
import type { InventoryRoot, ProductionCheckpoint } from '../produce/types.js';

/** How a terminal transaction still has to be wound up (after a Cancel, a failure, a restart). */
export type PendingFinish = 'retain' | 'remove';

/** One Inventory Creation transaction as persisted. */
export interface StoredTransaction {
  readonly transactionUid: string;
  /** The Calling AE Title of the Initiate: where events go when its association is gone. */
  readonly requesterAeTitle: string;
  readonly level: InventoryLevel;
  /** The Scope of Inventory item as applied; undefined for a universal match. */
  readonly scope: DataSet | undefined;
  readonly purpose: string | undefined;
  readonly startedAt: Date;
  /** Requested Status Interval in seconds; undefined or 0: no periodic report. */
  readonly statusInterval: number | undefined;
  readonly state: TransactionStatus;
  readonly statusComment: string | undefined;
  readonly checkpoint: ProductionCheckpoint | undefined;
  /** Study records produced so far (the open leaf included while running). */
  readonly studyRecords: number;
  readonly root: InventoryRoot | undefined;
  readonly pendingFinish: PendingFinish | undefined;
}

/** An N-EVENT-REPORT not yet answered by the requester. */
export interface OwedEvent {
  readonly id: number;
  readonly transactionUid: string;
  readonly requesterAeTitle: string;
  readonly eventTypeId: number;
  readonly information: DataSet;
  /** Delivery attempts so far. */
  readonly attempts: number;
  /** Not to be tried before this time (ms since the epoch). */
  readonly notBefore: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS inventory_transactions (
  transaction_uid TEXT PRIMARY KEY,
  requester_ae_title TEXT NOT NULL,
  level TEXT NOT NULL,
  scope BLOB,
  purpose TEXT,
  started_at INTEGER NOT NULL,
  status_interval INTEGER,
  state TEXT NOT NULL,
  status_comment TEXT,
  checkpoint TEXT,
  study_records INTEGER NOT NULL DEFAULT 0,
  root TEXT,
  pending_finish TEXT
);
CREATE TABLE IF NOT EXISTS inventory_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  transaction_uid TEXT NOT NULL REFERENCES inventory_transactions (transaction_uid),
  event_type_id INTEGER NOT NULL,
  information BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0
);
`;

// Data sets are kept as Explicit VR Little Endian bytes: exact for every VR (UV bigints, PN).
const STORED_SYNTAX = TransferSyntax.ExplicitVrLittleEndian;
const codec = createElementCodec();

function str(row: SqliteRow, column: string): string | undefined {
  const value = row[column];
  return typeof value === 'string' ? value : undefined;
}

function num(row: SqliteRow, column: string): number | undefined {
  const value = row[column];
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined;
}

function bytes(row: SqliteRow, column: string): Uint8Array | undefined {
  const value = row[column];
  return value instanceof Uint8Array ? value : undefined;
}

function json<T>(text: string | undefined): T | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as T); // written by this module only
}

function transactionOf(row: SqliteRow): StoredTransaction {
  const scope = bytes(row, 'scope');
  return {
    transactionUid: str(row, 'transaction_uid') ?? '',
    requesterAeTitle: str(row, 'requester_ae_title') ?? '',
    level: (str(row, 'level') ?? 'STUDY') as InventoryLevel, // written from an InventoryLevel
    scope: scope === undefined ? undefined : codec.decode(scope, STORED_SYNTAX),
    purpose: str(row, 'purpose'),
    startedAt: new Date(num(row, 'started_at') ?? 0),
    statusInterval: num(row, 'status_interval'),
    state: (str(row, 'state') ?? 'FAILURE') as TransactionStatus, // written from a TransactionStatus
    statusComment: str(row, 'status_comment'),
    checkpoint: json<ProductionCheckpoint>(str(row, 'checkpoint')),
    studyRecords: num(row, 'study_records') ?? 0,
    root: json<InventoryRoot>(str(row, 'root')),
    pendingFinish: str(row, 'pending_finish') as PendingFinish | undefined, // written from one
  };
}

/** Which columns {@link TransactionStore.update} may change. */
export type TransactionChange = Partial<
  Pick<
    StoredTransaction,
    | 'state'
    | 'statusComment'
    | 'checkpoint'
    | 'studyRecords'
    | 'root'
    | 'pendingFinish'
    | 'statusInterval'
  >
>;

const COLUMNS: Readonly<Record<keyof TransactionChange, string>> = {
  state: 'state',
  statusComment: 'status_comment',
  checkpoint: 'checkpoint',
  studyRecords: 'study_records',
  root: 'root',
  pendingFinish: 'pending_finish',
  statusInterval: 'status_interval',
};

function columnValue(
  key: keyof TransactionChange,
  change: TransactionChange,
): string | number | null {
  const value = change[key];
  if (value === undefined) return null;
  if (key === 'checkpoint' || key === 'root') return JSON.stringify(value);
  return value as string | number; // the other columns hold strings and numbers
}

/** Transactions and owed events of one SCP, in one SQLite file. */
export class TransactionStore {
  readonly #db: SqliteDatabase;

  private constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** Opens (creating if needed) the store at `path` (`:memory:` for a store that dies with us). */
  static async open(path: string): Promise<TransactionStore> {
    const db = await openSqlite(path);
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      throw error;
    }
    return new TransactionStore(db);
  }

  has(transactionUid: string): boolean {
    return (
      this.#db
        .prepare('SELECT 1 AS found FROM inventory_transactions WHERE transaction_uid = ?')
        .get([transactionUid]) !== undefined
    );
  }

  insert(transaction: StoredTransaction): void {
    this.#db
      .prepare(
        `INSERT INTO inventory_transactions (transaction_uid, requester_ae_title, level, scope,
           purpose, started_at, status_interval, state, study_records)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run([
        transaction.transactionUid,
        transaction.requesterAeTitle,
        transaction.level,
        transaction.scope === undefined ? null : codec.encode(transaction.scope, STORED_SYNTAX),
        transaction.purpose ?? null,
        transaction.startedAt.getTime(),
        transaction.statusInterval ?? null,
        transaction.state,
        transaction.studyRecords,
      ]);
  }

  /** Changes some columns; a key given as undefined clears its column. */
  update(transactionUid: string, change: TransactionChange): void {
    const keys = Object.keys(change) as (keyof TransactionChange)[]; // keys of a TransactionChange
    if (keys.length === 0) return;
    const assignments = keys.map((key) => `${COLUMNS[key]} = ?`).join(', ');
    this.#db
      .prepare(`UPDATE inventory_transactions SET ${assignments} WHERE transaction_uid = ?`)
      .run([...keys.map((key) => columnValue(key, change)), transactionUid]);
  }

  get(transactionUid: string): StoredTransaction | undefined {
    const row = this.#db
      .prepare('SELECT * FROM inventory_transactions WHERE transaction_uid = ?')
      .get([transactionUid]);
    return row === undefined ? undefined : transactionOf(row);
  }

  /** How many transactions are PROCESSING or PAUSED (what a concurrency limit counts). */
  countActive(): number {
    const row = this.#db
      .prepare(
        "SELECT COUNT(*) AS active FROM inventory_transactions WHERE state IN ('PROCESSING', 'PAUSED')",
      )
      .get();
    return row === undefined ? 0 : (num(row, 'active') ?? 0);
  }

  /** Every transaction, oldest first. */
  list(): StoredTransaction[] {
    return this.#db
      .prepare('SELECT * FROM inventory_transactions ORDER BY rowid')
      .all()
      .map(transactionOf);
  }

  /**
   * Records an event owed to the requester. A status report (12) replaces the transaction's
   * earlier ones not yet tried: only the latest state is worth sending to a requester that is
   * away, and an unreachable requester must not pile up a report per interval.
   */
  owe(transactionUid: string, eventTypeId: number, information: DataSet, now: number): void {
    this.#db.transaction(() => {
      if (eventTypeId === 12) {
        this.#db
          .prepare(
            'DELETE FROM inventory_events WHERE transaction_uid = ? AND event_type_id = 12 AND attempts = 0',
          )
          .run([transactionUid]);
      }
      this.#db
        .prepare(
          'INSERT INTO inventory_events (transaction_uid, event_type_id, information, not_before) VALUES (?, ?, ?, ?)',
        )
        .run([transactionUid, eventTypeId, codec.encode(information, STORED_SYNTAX), now]);
    });
  }

  /** Events still owed, in the order they were owed. */
  owed(): OwedEvent[] {
    return this.#db
      .prepare(
        `SELECT e.*, t.requester_ae_title FROM inventory_events e
         JOIN inventory_transactions t USING (transaction_uid) ORDER BY e.id`,
      )
      .all()
      .map((row) => ({
        id: num(row, 'id') ?? 0,
        transactionUid: str(row, 'transaction_uid') ?? '',
        requesterAeTitle: str(row, 'requester_ae_title') ?? '',
        eventTypeId: num(row, 'event_type_id') ?? 0,
        information: codec.decode(bytes(row, 'information') ?? new Uint8Array(0), STORED_SYNTAX),
        attempts: num(row, 'attempts') ?? 0,
        notBefore: num(row, 'not_before') ?? 0,
      }));
  }

  /** The event was answered (or given up on): no longer owed. */
  settle(id: number): void {
    this.#db.prepare('DELETE FROM inventory_events WHERE id = ?').run([id]);
  }

  /** One more attempt failed: try again at `notBefore`. */
  postpone(id: number, notBefore: number): void {
    this.#db
      .prepare('UPDATE inventory_events SET attempts = attempts + 1, not_before = ? WHERE id = ?')
      .run([notBefore, id]);
  }

  close(): void {
    this.#db.close();
  }
}
