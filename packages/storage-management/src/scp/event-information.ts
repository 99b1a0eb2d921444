// The Event Information of the three Inventory Creation events (PS3.4 Table KK.2-2, KK.2.3.1.1,
// KK.2.3.2).
import type { DataSet } from '@dicomnet/data';
import type { TransactionStatus } from '../message-types.js';
import { dicomDateTime } from '../produce/dicom-time.js';
import type { InventoryRoot } from '../produce/types.js';
import { Tag } from '../tags.js';

/** How the SCU reaches a finished inventory (KK.2.3.1.1, KK.2.3.2). */
export interface InventoryRootAccess {
  /** Retrieve AE Title (0008,0054) values: where Inventory GET/MOVE find the root. */
  readonly retrieveAeTitles: readonly string[];
  /** Retrieve URL (0008,1190) of the root, e.g. a DICOMweb instance URL. */
  readonly retrieveUrl?: (root: InventoryRoot) => string | undefined;
  /** File Access URI (0008,0409) of the root, where it is also a file the SCU can read. */
  readonly fileAccessUri?: (root: InventoryRoot) => string | undefined;
  /** How long produced instances are kept (ms): Expiration DateTime (0008,0416) = end + this. */
  readonly retentionMs?: number;
}

/** What every event says of its transaction. */
export interface TransactionReport {
  readonly transactionUid: string;
  readonly state: TransactionStatus;
  /** Transaction Status Comment (0008,0418), LT. */
  readonly comment?: string | undefined;
}

function base(report: TransactionReport): Record<string, DataSet[string]> {
  return {
    [Tag.TransactionUID]: { vr: 'UI', Value: [report.transactionUid] },
    [Tag.TransactionStatus]: { vr: 'CS', Value: [report.state] },
    ...(report.comment !== undefined &&
      report.comment !== '' && {
        // LT holds at most 10240 characters (PS3.5 Table 6.2-1).
        [Tag.TransactionStatusComment]: { vr: 'LT', Value: [report.comment.slice(0, 10_240)] },
      }),
  };
}

/** Inventory Status (12): the state and Total Number of Study Records so far. */
export function statusInformation(report: TransactionReport, studyRecords: number): DataSet {
  return {
    ...base(report),
    [Tag.TotalNumberOfStudyRecords]: { vr: 'UV', Value: [BigInt(studyRecords)] },
  };
}

/**
 * Inventory Terminated with Instances (11): the root and at least one way to reach it, Retrieve
 * AE Title or Retrieve URL or both (KK.2.3.1.1); File Access URI and Expiration DateTime when
 * configured (KK.2.3.2). The file-access group of KK.2.3.1.1 (Stored Instance Base URI, container
 * fields) is not sent: we offer no container files.
 */
export function terminatedWithInstancesInformation(
  report: TransactionReport,
  root: InventoryRoot,
  access: InventoryRootAccess,
  endedAt: Date,
): DataSet {
  const url = access.retrieveUrl?.(root);
  const file = access.fileAccessUri?.(root);
  return {
    ...base(report),
    [Tag.ReferencedSOPClassUID]: { vr: 'UI', Value: [root.sopClassUid] },
    [Tag.ReferencedSOPInstanceUID]: { vr: 'UI', Value: [root.sopInstanceUid] },
    ...(access.retrieveAeTitles.length > 0 && {
      [Tag.RetrieveAETitle]: { vr: 'AE', Value: [...access.retrieveAeTitles] },
    }),
    ...(url !== undefined && { [Tag.RetrieveURL]: { vr: 'UR', Value: [url] } }),
    ...(file !== undefined && { [Tag.FileAccessURI]: { vr: 'UR', Value: [file] } }),
    ...(access.retentionMs !== undefined && {
      [Tag.ExpirationDateTime]: {
        vr: 'DT',
        Value: [dicomDateTime(new Date(endedAt.getTime() + access.retentionMs))],
      },
    }),
    [Tag.TotalNumberOfStudyRecords]: { vr: 'UV', Value: [BigInt(root.totalStudyRecords)] },
  };
}

/** Inventory Terminated without Instances (13): FAILURE or CANCELED with nothing kept. */
export function terminatedWithoutInstancesInformation(report: TransactionReport): DataSet {
  return base(report);
}
