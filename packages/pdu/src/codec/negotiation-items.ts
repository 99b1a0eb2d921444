import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { checkG0Text, checkUint16, checkUint32 } from './field-checks.js';
import { readUid, writeUid } from './uid.js';

// Bodies (the bytes after item-length) of the user-information sub-items 51H-57H. The item
// headers are written and read by user-information.ts.

/** Asynchronous Operations Window, sub-item 53H (PS3.7 D.3.3.3, Tables D.3-7/D.3-8). */
export interface AsynchronousOperationsWindow {
  /** Maximum number of outstanding operations this AE may invoke; 0 = unlimited. */
  readonly maxOperationsInvoked: number;
  /** Maximum number of outstanding operations this AE may perform; 0 = unlimited. */
  readonly maxOperationsPerformed: number;
}

/** SCP/SCU Role Selection, sub-item 54H (PS3.7 D.3.3.4, Tables D.3-9/D.3-10). */
export interface RoleSelection {
  /** The SOP Class or Meta SOP Class UID the roles apply to. */
  readonly sopClassUid: string;
  /** RQ: the requestor proposes the SCU role. AC: the acceptor accepts that proposal. */
  readonly scuRole: boolean;
  /** RQ: the requestor proposes the SCP role. AC: the acceptor accepts that proposal. */
  readonly scpRole: boolean;
}

/** SOP Class Extended Negotiation, sub-item 56H (PS3.7 D.3.3.5, Table D.3-11). */
export interface SopClassExtendedNegotiation {
  /** The SOP Class UID. */
  readonly sopClassUid: string;
  /** Service-class-application-information, defined per service class in PS3.4. */
  readonly applicationInformation: Uint8Array;
}

/** SOP Class Common Extended Negotiation, sub-item 57H (PS3.7 D.3.3.6, Table D.3-12); RQ only. */
export interface SopClassCommonExtendedNegotiation {
  /** The SOP Class UID. */
  readonly sopClassUid: string;
  /** The Service Class UID, e.g. 1.2.840.10008.4.2 (Storage). */
  readonly serviceClassUid: string;
  /** Zero or more Related General SOP Class UIDs (Table D.3-13). */
  readonly relatedGeneralSopClassUids: readonly string[];
}

const ON = 1;
const OFF = 0;

/** 51H body: Maximum-length-received, uint32, 0 = no maximum (PS3.8 Table D.1-1). */
export function writeMaximumLength(writer: ByteWriter, maxPduLength: number): void {
  checkUint32('maxPduLength', maxPduLength);
  writer.uint32be(maxPduLength);
}

/** Reads a 51H body, which must be exactly 4 bytes (item-length 00000004H, Table D.1-1). */
export function readMaximumLength(body: ByteReader): number {
  requireLength(body, 4, 'maximum length');
  return body.uint32be();
}

/** 52H body: the Implementation Class UID (PS3.7 Table D.3-1). */
export function writeImplementationClassUid(writer: ByteWriter, uid: string): void {
  writeUid(writer, 'implementationClassUid', uid);
}

/** Reads a 52H body. */
export function readImplementationClassUid(body: ByteReader): string {
  return readUid(body, body.remaining);
}

/** 53H body: two uint16 (PS3.7 Table D.3-7). */
export function writeAsynchronousOperationsWindow(
  writer: ByteWriter,
  window: AsynchronousOperationsWindow,
): void {
  checkUint16('asynchronousOperationsWindow.maxOperationsInvoked', window.maxOperationsInvoked);
  checkUint16('asynchronousOperationsWindow.maxOperationsPerformed', window.maxOperationsPerformed);
  writer.uint16be(window.maxOperationsInvoked);
  writer.uint16be(window.maxOperationsPerformed);
}

/** Reads a 53H body, which must be exactly 4 bytes (PS3.7 Table D.3-7). */
export function readAsynchronousOperationsWindow(body: ByteReader): AsynchronousOperationsWindow {
  requireLength(body, 4, 'asynchronous operations window');
  const maxOperationsInvoked = body.uint16be();
  const maxOperationsPerformed = body.uint16be();
  return { maxOperationsInvoked, maxOperationsPerformed };
}

/** 54H body: UID-length, SOP-class-uid, SCU-role, SCP-role (PS3.7 Table D.3-9). */
export function writeRoleSelection(writer: ByteWriter, role: RoleSelection, field: string): void {
  writeLengthPrefixedUid(writer, `${field}.sopClassUid`, role.sopClassUid);
  writer.uint8(role.scuRole ? ON : OFF);
  writer.uint8(role.scpRole ? ON : OFF);
}

/**
 * Reads a 54H body. The role bytes are 0 or 1; any non-zero value is read as 1 (lenient).
 * @throws {@link MalformedPduError} if the lengths do not add up to the item-length.
 */
export function readRoleSelection(body: ByteReader): RoleSelection {
  const sopClassUid = readLengthPrefixedUid(body);
  const scuRole = body.uint8() !== OFF;
  const scpRole = body.uint8() !== OFF;
  requireEnd(body, 'role selection');
  return { sopClassUid, scuRole, scpRole };
}

/** 55H body: 1..16 ISO 646 basic G0 characters, no padding (PS3.7 Table D.3-3). */
export function writeImplementationVersionName(writer: ByteWriter, name: string): void {
  checkG0Text('implementationVersionName', name, 16);
  writer.ascii(name);
}

/** Reads a 55H body; trailing spaces and NULs (padding by some peers) are removed. */
export function readImplementationVersionName(body: ByteReader): string {
  return body.ascii(body.remaining).replace(/[ \0]+$/, '');
}

/** 56H body: SOP-class-uid-length, SOP-class-uid, application information (Table D.3-11). */
export function writeSopClassExtendedNegotiation(
  writer: ByteWriter,
  negotiation: SopClassExtendedNegotiation,
  field: string,
): void {
  writeLengthPrefixedUid(writer, `${field}.sopClassUid`, negotiation.sopClassUid);
  writer.bytes(negotiation.applicationInformation);
}

/** Reads a 56H body; the application information is the rest of the item (a copy). */
export function readSopClassExtendedNegotiation(body: ByteReader): SopClassExtendedNegotiation {
  const sopClassUid = readLengthPrefixedUid(body);
  const applicationInformation = body.bytes(body.remaining).slice();
  return { sopClassUid, applicationInformation };
}

/**
 * 57H body: SOP-class-uid-length, SOP-class-uid, Service-class-uid-length, Service-class-uid,
 * Related-general-sop-class-identification-length, then per related class a uint16 length and
 * the UID (PS3.7 Tables D.3-12, D.3-13).
 */
export function writeSopClassCommonExtendedNegotiation(
  writer: ByteWriter,
  negotiation: SopClassCommonExtendedNegotiation,
  field: string,
): void {
  writeLengthPrefixedUid(writer, `${field}.sopClassUid`, negotiation.sopClassUid);
  writeLengthPrefixedUid(writer, `${field}.serviceClassUid`, negotiation.serviceClassUid);
  const lengthPosition = writer.reserveUint16();
  negotiation.relatedGeneralSopClassUids.forEach((uid, index) => {
    writeLengthPrefixedUid(writer, `${field}.relatedGeneralSopClassUids[${index}]`, uid);
  });
  writer.fillUint16Length(lengthPosition, `${field}.relatedGeneralSopClassUids`);
}

/**
 * Reads a 57H body. Its second header byte is the sub-item version (00H), which, like a reserved
 * byte, is not tested.
 * @throws {@link MalformedPduError} if the nested lengths do not add up to the item-length.
 */
export function readSopClassCommonExtendedNegotiation(
  body: ByteReader,
): SopClassCommonExtendedNegotiation {
  const sopClassUid = readLengthPrefixedUid(body);
  const serviceClassUid = readLengthPrefixedUid(body);
  const related = body.sub(body.uint16be(), 'related general SOP class identification');
  const relatedGeneralSopClassUids: string[] = [];
  while (!related.isAtEnd) relatedGeneralSopClassUids.push(readLengthPrefixedUid(related));
  requireEnd(body, 'SOP class common extended negotiation');
  return { sopClassUid, serviceClassUid, relatedGeneralSopClassUids };
}

function writeLengthPrefixedUid(writer: ByteWriter, field: string, uid: string): void {
  const lengthPosition = writer.reserveUint16();
  writeUid(writer, field, uid);
  writer.fillUint16Length(lengthPosition, field);
}

function readLengthPrefixedUid(body: ByteReader): string {
  const length = body.uint16be();
  if (length > body.remaining) {
    body.fail(
      `UID length ${length} overruns its sub-item (${body.remaining} bytes left)`,
      undefined,
      body.offset - 2,
    );
  }
  return readUid(body, length);
}

function requireLength(body: ByteReader, length: number, what: string): void {
  if (body.remaining !== length) {
    body.fail(
      `${what} sub-item-length must be ${length}, got ${body.remaining}`,
      undefined,
      body.offset - 2,
    );
  }
}

/** Bytes left over inside a fixed-structure sub-item mean its item-length is wrong. */
export function requireEnd(body: ByteReader, what: string): void {
  if (!body.isAtEnd) {
    body.fail(`${body.remaining} bytes left over at the end of the ${what} sub-item`);
  }
}
