import { InvalidPduFieldError } from '../errors.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { checkByte } from './field-checks.js';
import { requireEnd } from './negotiation-items.js';

/** User-Identity-Type of the User Identity sub-item 58H (PS3.7 Table D.3-14). */
export const UserIdentityType = {
  /** 1 username (primary field: UTF-8 username) */
  Username: 1,
  /** 2 username and passcode (secondary field: the passcode) */
  UsernameAndPasscode: 2,
  /** 3 Kerberos service ticket */
  Kerberos: 3,
  /** 4 SAML assertion */
  Saml: 4,
  /** 5 JSON Web Token (JWT) */
  Jwt: 5,
} as const;

/** One of the {@link UserIdentityType} values. */
export type UserIdentityType = (typeof UserIdentityType)[keyof typeof UserIdentityType];

/** User Identity of the A-ASSOCIATE-RQ, sub-item 58H (PS3.7 D.3.3.7.1, Table D.3-14). */
export interface UserIdentityRequest {
  /** A {@link UserIdentityType} value (others are kept as received). */
  readonly identityType: number;
  /** Whether the requestor asks for a 59H sub-item in the AC. */
  readonly positiveResponseRequested: boolean;
  /** Username (UTF-8), Kerberos ticket, SAML assertion or JWT, by `identityType`. */
  readonly primaryField: Uint8Array;
  /** The passcode for type 2; empty for every other type. */
  readonly secondaryField: Uint8Array;
}

/** User Identity of the A-ASSOCIATE-AC, sub-item 59H (PS3.7 D.3.3.7.2, Table D.3-15). */
export interface UserIdentityResponse {
  /** Server response: Kerberos server ticket, SAML response or JWT; empty for types 1 and 2. */
  readonly serverResponse: Uint8Array;
}

/**
 * 58H body: User-Identity-Type, Positive-response-requested, Primary-field-length, Primary-field,
 * Secondary-field-length, Secondary-field (PS3.7 Table D.3-14).
 * @throws {@link InvalidPduFieldError} for a type outside 0..255, a field over 65535 bytes, or a
 *   secondary field with a type other than 2 (the table allows it only for username and passcode).
 */
export function writeUserIdentityRequest(writer: ByteWriter, identity: UserIdentityRequest): void {
  checkByte('userIdentityRequest.identityType', identity.identityType);
  if (
    identity.secondaryField.byteLength > 0 &&
    identity.identityType !== UserIdentityType.UsernameAndPasscode
  ) {
    throw new InvalidPduFieldError(
      'only user identity type 2 (username and passcode) has a secondary field',
      'userIdentityRequest.secondaryField',
    );
  }
  writer.uint8(identity.identityType);
  writer.uint8(identity.positiveResponseRequested ? 1 : 0);
  writeLengthPrefixedBytes(writer, 'userIdentityRequest.primaryField', identity.primaryField);
  writeLengthPrefixedBytes(writer, 'userIdentityRequest.secondaryField', identity.secondaryField);
}

/**
 * Reads a 58H body. The fields are copied out of the PDU. A non-zero positive-response byte reads
 * as true; the secondary field is returned whatever the type.
 * @throws {@link MalformedPduError} if the field lengths do not add up to the item-length.
 */
export function readUserIdentityRequest(body: ByteReader): UserIdentityRequest {
  const identityType = body.uint8();
  const positiveResponseRequested = body.uint8() !== 0;
  const primaryField = readLengthPrefixedBytes(body);
  const secondaryField = readLengthPrefixedBytes(body);
  requireEnd(body, 'user identity');
  return { identityType, positiveResponseRequested, primaryField, secondaryField };
}

/** 59H body: Server-response-length, Server-response (PS3.7 Table D.3-15). */
export function writeUserIdentityResponse(
  writer: ByteWriter,
  identity: UserIdentityResponse,
): void {
  writeLengthPrefixedBytes(writer, 'userIdentityResponse.serverResponse', identity.serverResponse);
}

/**
 * Reads a 59H body (the response is copied).
 * @throws {@link MalformedPduError} if the length does not match the item-length.
 */
export function readUserIdentityResponse(body: ByteReader): UserIdentityResponse {
  const serverResponse = readLengthPrefixedBytes(body);
  requireEnd(body, 'user identity response');
  return { serverResponse };
}

function writeLengthPrefixedBytes(writer: ByteWriter, field: string, bytes: Uint8Array): void {
  const lengthPosition = writer.reserveUint16();
  writer.bytes(bytes);
  writer.fillUint16Length(lengthPosition, field);
}

function readLengthPrefixedBytes(body: ByteReader): Uint8Array {
  const length = body.uint16be();
  if (length > body.remaining) {
    body.fail(
      `field length ${length} overruns its sub-item (${body.remaining} bytes left)`,
      undefined,
      body.offset - 2,
    );
  }
  return body.bytes(length).slice();
}
