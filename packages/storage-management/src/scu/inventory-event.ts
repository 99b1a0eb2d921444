// What an Inventory Creation SCU learns from the SCP's N-EVENT-REPORTs (PS3.4 KK.2.3, Table
// KK.2-2), as typed values.
import type { DataSet } from '@dicomnet/data';
import type { TransactionStatus } from '../message-types.js';

/** Inventory Status (event 12): progress of a production (PS3.4 KK.2.3.2). */
export interface InventoryStatusEvent {
  readonly type: 'status';
  readonly eventTypeId: 12;
  readonly transactionUid: string;
  /** Transaction Status (0008,0417). */
  readonly transactionStatus: TransactionStatus;
  /** Transaction Status Comment (0008,0418). */
  readonly comment: string | undefined;
  /** Total Number of Study Records (0008,0428): study records produced so far. */
  readonly totalStudyRecords: number;
  /** The Event Information as received. */
  readonly information: DataSet;
}

/**
 * How to reach the root Inventory instance, from Inventory Terminated with Instances (event 11,
 * PS3.4 KK.2.3.1.1, C.38.3): by DICOM (Retrieve AE Title, Inventory GET/MOVE), by web (Retrieve
 * URL) or as a file (the Stored File Access attributes).
 */
export interface InventoryAccess {
  /** Referenced SOP Class UID (0008,1150): Inventory Storage. */
  readonly sopClassUid: string;
  /** Referenced SOP Instance UID (0008,1155): the root of the tree (C.38.3.1.1). */
  readonly sopInstanceUid: string;
  /** Retrieve AE Title (0008,0054): AEs that serve Inventory GET/MOVE (PS3.4 JJ). */
  readonly retrieveAeTitles: readonly string[];
  /** Retrieve URL (0008,1190). */
  readonly retrieveUrl: string | undefined;
  /** File Access URI (0008,0409). */
  readonly fileAccessUri: string | undefined;
  /** Stored Instance Base URI (0008,0407). */
  readonly storedInstanceBaseUri: string | undefined;
  /** Container File Type (0008,040A), e.g. ZIP. */
  readonly containerFileType: string | undefined;
  /** Filename in Container (0008,040B). */
  readonly filenameInContainer: string | undefined;
  /** File Offset in Container (0008,040C), bytes. */
  readonly fileOffsetInContainer: bigint | undefined;
  /** File Length in Container (0008,040D), bytes. */
  readonly fileLengthInContainer: bigint | undefined;
  /** Stored Instance Transfer Syntax UID (0008,040E). */
  readonly storedInstanceTransferSyntaxUid: string | undefined;
  /** Expiration DateTime (0008,0416): until when the SCP expects to keep the instances (DT). */
  readonly expirationDateTime: string | undefined;
}

/**
 * Inventory Terminated with Instances (event 11): the production ended (COMPLETE, or FAILURE or
 * CANCELED with what was produced kept) and the inventory is available (PS3.4 KK.2.3.2).
 */
export interface InventoryCompletedEvent {
  readonly type: 'terminated-with-instances';
  readonly eventTypeId: 11;
  readonly transactionUid: string;
  readonly transactionStatus: TransactionStatus;
  readonly comment: string | undefined;
  /** Total Number of Study Records (0008,0428) over the whole tree. */
  readonly totalStudyRecords: number;
  readonly access: InventoryAccess;
  readonly information: DataSet;
}

/** Inventory Terminated without Instances (event 13): FAILURE or CANCELED, nothing kept. */
export interface InventoryAbandonedEvent {
  readonly type: 'terminated-without-instances';
  readonly eventTypeId: 13;
  readonly transactionUid: string;
  readonly transactionStatus: TransactionStatus;
  readonly comment: string | undefined;
  readonly information: DataSet;
}

/** Any Inventory Creation event (PS3.4 Table KK.2-2). */
export type InventoryEvent =
  InventoryStatusEvent | InventoryCompletedEvent | InventoryAbandonedEvent;

/** The outcome of a production that ended with instances: what `done` resolves to. */
export type InventoryResult = InventoryCompletedEvent;
