// Checks one N-EVENT-REPORT of Inventory Creation against PS3.4 Table KK.2-2 and PS3.7 §10.1.1,
// and reads it into an InventoryEvent, or says which status refuses it and why.
import type { DataElement, DataSet } from '@dicomnet/data';
import { StorageManagementStatus as Status } from '@dicomnet/status-codes';
import type { TransactionStatus } from '../message-types.js';
import { EventType } from '../message-types.js';
import { Tag } from '../tags.js';
import {
  INVENTORY_CREATION_SOP_CLASS,
  INVENTORY_STORAGE_SOP_CLASS,
  STORAGE_MANAGEMENT_SOP_INSTANCE,
} from '../uids.js';
import type { InventoryAccess, InventoryEvent } from './inventory-event.js';

/** Why an N-EVENT-REPORT is refused: the status and what the response carries with it. */
export interface EventRefusal {
  readonly status: number;
  /** For people (diagnostics); on the wire only where PS3.7 Annex C allows an Error Comment. */
  readonly reason: string;
  /**
   * With 0x0115: the Event Information attributes whose values are invalid, echoed as the
   * response's data set (PS3.7 C.5.10).
   */
  readonly invalid?: DataSet;
}

/** The parts of an N-EVENT-REPORT-RQ the check reads. */
export interface EventReport {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly eventTypeId: number;
  readonly eventInformation: DataSet | undefined;
}

/** How strictly events are read. */
export interface ReadEventOptions {
  /**
   * Refuse attributes Table KK.2-2 does not define for the event type with 0x0114 No such
   * argument (PS3.7 C.5.16). Default false: they are ignored (peers add private or newer
   * attributes; nothing is lost by not reading them).
   */
  readonly strict?: boolean;
}

const TRANSACTION_STATUSES: ReadonlySet<string> = new Set([
  'PROCESSING',
  'PAUSED',
  'COMPLETE',
  'FAILURE',
  'CANCELED',
]);

/**
 * The VR of each Event Information attribute (PS3.6 Table 6-1), and for which event types Table
 * KK.2-2 defines it. Specific Character Set is allowed with all: it says how the text is encoded
 * (PS3.5 6.1.2.5), it is not an argument.
 */
const ATTRIBUTES: Readonly<Record<string, { readonly vr: string; readonly events: string }>> = {
  [Tag.SpecificCharacterSet]: { vr: 'CS', events: '11 12 13' },
  [Tag.TransactionUID]: { vr: 'UI', events: '11 12 13' },
  [Tag.TransactionStatus]: { vr: 'CS', events: '11 12 13' },
  [Tag.TransactionStatusComment]: { vr: 'LT', events: '11 12 13' },
  [Tag.TotalNumberOfStudyRecords]: { vr: 'UV', events: '11 12' },
  [Tag.ReferencedSOPClassUID]: { vr: 'UI', events: '11' },
  [Tag.ReferencedSOPInstanceUID]: { vr: 'UI', events: '11' },
  [Tag.RetrieveAETitle]: { vr: 'AE', events: '11' },
  [Tag.RetrieveURL]: { vr: 'UR', events: '11' },
  [Tag.FileAccessURI]: { vr: 'UR', events: '11' },
  [Tag.StoredInstanceBaseURI]: { vr: 'UR', events: '11' },
  [Tag.ContainerFileType]: { vr: 'CS', events: '11' },
  [Tag.FilenameInContainer]: { vr: 'UR', events: '11' },
  [Tag.FileOffsetInContainer]: { vr: 'UV', events: '11' },
  [Tag.FileLengthInContainer]: { vr: 'UV', events: '11' },
  [Tag.StoredInstanceTransferSyntaxUID]: { vr: 'UI', events: '11' },
  '04000015': { vr: 'CS', events: '11' }, // MAC Algorithm
  '04000404': { vr: 'OB', events: '11' }, // MAC
  [Tag.ExpirationDateTime]: { vr: 'DT', events: '11' },
};

/**
 * Well-known SOP Instances of other SOP classes (PS3.6 Table A-1): naming one of them with the
 * Inventory Creation class is a Class-instance conflict (0x0119, PS3.7 C.5.7) rather than an
 * unknown instance (0x0112). A dicomnet choice: PS3.4 KK names no trigger for 0x0119.
 */
const FOREIGN_WELL_KNOWN_INSTANCES: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.20.1.1', // Storage Commitment Push Model SOP Instance (PS3.4 J.3.5)
  '1.2.840.10008.1.40.1', // Printer SOP Instance (PS3.4 H.4.11)
  '1.2.840.10008.5.1.4.34.5', // UPS Global Subscription SOP Instance (PS3.4 CC.3.1)
]);

/** A UID as PS3.5 9.1 has it: digits and dots, no empty or zero-led component, at most 64. */
export function isValidUid(value: string): boolean {
  return value.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(value);
}

function firstText(element: DataElement | undefined): string | undefined {
  const value = element?.Value?.[0];
  return typeof value === 'string' ? value.trim() : undefined;
}

function isEmpty(element: DataElement): boolean {
  const values = element.Value ?? [];
  return values.length === 0 || values.every((value) => value === '');
}

/**
 * Reads one N-EVENT-REPORT: the event, or the refusal status with its reason. The checks follow
 * the order of the request: SOP class, SOP instance, event type, then the Event Information.
 */
export function readEvent(
  report: EventReport,
  options: ReadEventOptions = {},
): { readonly event: InventoryEvent } | { readonly refusal: EventRefusal } {
  const refuse = (status: number, reason: string) => ({ refusal: { status, reason } });
  // PS3.7 C.5.20: the Affected SOP Class UID of the command is not Inventory Creation.
  if (report.sopClassUid !== INVENTORY_CREATION_SOP_CLASS) {
    return refuse(
      Status.NoSuchSopClass,
      `SOP class ${report.sopClassUid} is not Inventory Creation`,
    );
  }
  // PS3.4 KK.2.3.2: the Affected SOP Instance is the well-known Storage Management instance
  // (KK.1.3.2). A UID that breaks PS3.5 9.1 is an Invalid object instance (PS3.7 C.5.12).
  const instance = report.sopInstanceUid;
  if (!isValidUid(instance)) {
    return refuse(Status.InvalidObjectInstance, `${instance} is not a valid UID`);
  }
  if (FOREIGN_WELL_KNOWN_INSTANCES.has(instance)) {
    return refuse(
      Status.ClassInstanceConflict,
      `${instance} is not an Inventory Creation instance`,
    );
  }
  if (instance !== STORAGE_MANAGEMENT_SOP_INSTANCE) {
    return refuse(Status.NoSuchSopInstance, `${instance} is not the Storage Management instance`);
  }
  const type = report.eventTypeId;
  // PS3.4 Table KK.2-2 defines event types 11, 12 and 13 only (PS3.7 C.5.18).
  if (
    type !== EventType.TerminatedWithInstances &&
    type !== EventType.Status &&
    type !== EventType.TerminatedWithoutInstances
  ) {
    return refuse(Status.NoSuchEventType, `event type ${type} is not 11, 12 or 13`);
  }
  const info = report.eventInformation ?? {};
  const problem = checkAttributes(info, type, options.strict ?? false);
  if (problem !== undefined) return { refusal: problem };
  const transactionUid = firstText(info[Tag.TransactionUID]) ?? '';
  const transactionStatus = (firstText(info[Tag.TransactionStatus]) ?? '') as TransactionStatus; // checked in checkAttributes
  const comment = firstText(info[Tag.TransactionStatusComment]);
  const base = { transactionUid, transactionStatus, comment, information: info };
  if (type === EventType.Status) {
    return {
      event: { ...base, type: 'status', eventTypeId: 12, totalStudyRecords: countOf(info) },
    };
  }
  if (type === EventType.TerminatedWithoutInstances) {
    return { event: { ...base, type: 'terminated-without-instances', eventTypeId: 13 } };
  }
  return {
    event: {
      ...base,
      type: 'terminated-with-instances',
      eventTypeId: 11,
      totalStudyRecords: countOf(info),
      access: accessOf(info),
    },
  };
}

/** The attributes Table KK.2-2 makes mandatory for the SCP to send (usage x/1). */
function mandatoryFor(type: number): readonly string[] {
  const always = [Tag.TransactionUID, Tag.TransactionStatus];
  if (type === EventType.Status) return [...always, Tag.TotalNumberOfStudyRecords];
  if (type === EventType.TerminatedWithoutInstances) return always;
  return [
    ...always,
    Tag.ReferencedSOPClassUID,
    Tag.ReferencedSOPInstanceUID,
    Tag.TotalNumberOfStudyRecords,
  ];
}

function checkAttributes(info: DataSet, type: number, strict: boolean): EventRefusal | undefined {
  const refusal = (status: number, reason: string): EventRefusal => ({ status, reason });
  // A mandatory attribute left out or sent empty. For an N-ACTION that is 0x0120/0x0121 (PS3.4
  // 5.4.2.1), but PS3.7 10.1.1.1.8 does not list those statuses for N-EVENT-REPORT (nor does
  // issue 17's list of the SCU's statuses): the nearest it lists is 0x0115 Invalid argument
  // value (PS3.7 C.5.10), which echoes what was sent, and has no Attribute Identifier List.
  const mandatory = mandatoryFor(type);
  const missing = mandatory.filter((tag) => info[tag] === undefined);
  if (missing.length > 0) {
    return refusal(Status.InvalidArgumentValue, `missing ${missing.join(', ')}`);
  }
  const empty = mandatory.filter((tag) => isEmpty(info[tag] as DataElement)); // present: checked above
  if (empty.length > 0) {
    return {
      ...refusal(Status.InvalidArgumentValue, `empty ${empty.join(', ')}`),
      invalid: Object.fromEntries(empty.map((tag) => [tag, info[tag] as DataElement])),
    };
  }
  // PS3.4 KK.2.3.1.1: Retrieve AE Title or Retrieve URL, or both, shall be present.
  if (
    type === EventType.TerminatedWithInstances &&
    [Tag.RetrieveAETitle, Tag.RetrieveURL].every((tag) => {
      const element = info[tag];
      return element === undefined || isEmpty(element);
    })
  ) {
    return refusal(Status.InvalidArgumentValue, 'neither Retrieve AE Title nor Retrieve URL');
  }
  for (const [tag, element] of Object.entries(info)) {
    const known = ATTRIBUTES[tag];
    if (known === undefined || !known.events.includes(String(type))) {
      // PS3.7 C.5.16 No such argument: not an attribute of this event type. Refused only with
      // the `strict` hook: PS3.4 KK names no trigger for 0114H on the SCU side.
      if (strict)
        return refusal(Status.NoSuchArgument, `(${tag}) is not an argument of event ${type}`);
      continue;
    }
    // PS3.7 C.5.15 Mistyped argument: the value comes in a VR other than PS3.6 gives it (an
    // explicit VR transfer syntax carries the sender's VR). PS3.4 KK names no trigger for 0212H
    // on the SCU side (KK.2.3.3 is not readable here): a dicomnet choice.
    if (element.vr !== known.vr) {
      return refusal(Status.MistypedArgument, `(${tag}) has VR ${element.vr}, not ${known.vr}`);
    }
  }
  return checkValues(info, type, refusal);
}

function checkValues(
  info: DataSet,
  type: number,
  refusal: (status: number, reason: string) => EventRefusal,
): EventRefusal | undefined {
  // PS3.7 C.5.10: the response may echo the invalid values as its data set.
  const invalid = (tag: string, reason: string): EventRefusal => ({
    ...refusal(Status.InvalidArgumentValue, reason),
    invalid: { [tag]: info[tag] as DataElement }, // every caller names a present attribute
  });
  const transactionUid = firstText(info[Tag.TransactionUID]) ?? '';
  if (!isValidUid(transactionUid)) {
    return invalid(Tag.TransactionUID, `Transaction UID ${transactionUid} is not a UID`);
  }
  // PS3.3 C.38.3: Transaction Status has five Enumerated Values.
  const status = firstText(info[Tag.TransactionStatus]) ?? '';
  if (!TRANSACTION_STATUSES.has(status)) {
    return invalid(Tag.TransactionStatus, `Transaction Status ${status} is not defined`);
  }
  // PS3.4 KK.2.3.2: events 11 and 13 are sent on reaching a terminal state; 13 "(i.e., FAILURE
  // or CANCELED)".
  if (type !== EventType.Status && (status === 'PROCESSING' || status === 'PAUSED')) {
    return invalid(Tag.TransactionStatus, `event ${type} with the non-terminal status ${status}`);
  }
  if (type === EventType.TerminatedWithoutInstances && status === 'COMPLETE') {
    return invalid(
      Tag.TransactionStatus,
      'Inventory Terminated without Instances with status COMPLETE',
    );
  }
  const total = info[Tag.TotalNumberOfStudyRecords]?.Value?.[0];
  if (total !== undefined && typeof total !== 'bigint' && typeof total !== 'number') {
    return invalid(Tag.TotalNumberOfStudyRecords, 'Total Number of Study Records is not a number');
  }
  if (type !== EventType.TerminatedWithInstances) return undefined;
  const sopClass = firstText(info[Tag.ReferencedSOPClassUID]) ?? '';
  // PS3.4 GG.6.6, C.38.3: the produced instance is an Inventory (Inventory Storage).
  if (sopClass !== INVENTORY_STORAGE_SOP_CLASS) {
    return invalid(
      Tag.ReferencedSOPClassUID,
      `Referenced SOP Class UID ${sopClass} is not Inventory Storage`,
    );
  }
  const sopInstance = firstText(info[Tag.ReferencedSOPInstanceUID]) ?? '';
  if (!isValidUid(sopInstance)) {
    return invalid(
      Tag.ReferencedSOPInstanceUID,
      `Referenced SOP Instance UID ${sopInstance} is not a UID`,
    );
  }
  return undefined;
}

function countOf(info: DataSet): number {
  const value = info[Tag.TotalNumberOfStudyRecords]?.Value?.[0];
  return typeof value === 'bigint' || typeof value === 'number' ? Number(value) : 0;
}

function bigOf(element: DataElement | undefined): bigint | undefined {
  const value = element?.Value?.[0];
  if (typeof value === 'bigint') return value;
  return typeof value === 'number' ? BigInt(value) : undefined;
}

function accessOf(info: DataSet): InventoryAccess {
  const texts = (tag: string): string[] =>
    (info[tag]?.Value ?? []).flatMap((value) =>
      typeof value === 'string' && value.trim() !== '' ? [value.trim()] : [],
    );
  return {
    sopClassUid: firstText(info[Tag.ReferencedSOPClassUID]) ?? '',
    sopInstanceUid: firstText(info[Tag.ReferencedSOPInstanceUID]) ?? '',
    retrieveAeTitles: texts(Tag.RetrieveAETitle),
    retrieveUrl: firstText(info[Tag.RetrieveURL]),
    fileAccessUri: firstText(info[Tag.FileAccessURI]),
    storedInstanceBaseUri: firstText(info[Tag.StoredInstanceBaseURI]),
    containerFileType: firstText(info[Tag.ContainerFileType]),
    filenameInContainer: firstText(info[Tag.FilenameInContainer]),
    fileOffsetInContainer: bigOf(info[Tag.FileOffsetInContainer]),
    fileLengthInContainer: bigOf(info[Tag.FileLengthInContainer]),
    storedInstanceTransferSyntaxUid: firstText(info[Tag.StoredInstanceTransferSyntaxUID]),
    expirationDateTime: firstText(info[Tag.ExpirationDateTime]),
  };
}
