import { InvalidPduFieldError } from '../errors.js';
import { AbortReason } from './abort-reason.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import {
  checkByte,
  checkPresentationContextId,
  isValidPresentationContextId,
} from './field-checks.js';
import { readItems, writeItem } from './item.js';
import { isKnownItemType, ItemType } from './item-type.js';
import { readUid, writeUid } from './uid.js';

/** Result/Reason of a Presentation Context item in the A-ASSOCIATE-AC (PS3.8 Table 9-18). */
export const PresentationContextResult = {
  /** 0 acceptance */
  Acceptance: 0,
  /** 1 user-rejection */
  UserRejection: 1,
  /** 2 no-reason (provider rejection) */
  NoReason: 2,
  /** 3 abstract-syntax-not-supported (provider rejection) */
  AbstractSyntaxNotSupported: 3,
  /** 4 transfer-syntaxes-not-supported (provider rejection) */
  TransferSyntaxesNotSupported: 4,
} as const;

/** One of the {@link PresentationContextResult} values. */
export type PresentationContextResult =
  (typeof PresentationContextResult)[keyof typeof PresentationContextResult];

/** A proposed presentation context: item 20H of the A-ASSOCIATE-RQ (PS3.8 9.3.2.2, Table 9-13). */
export interface PresentationContextProposal {
  /** Odd, 1..255, unique within the RQ (PS3.8 7.1.1.13). */
  readonly id: number;
  /** Abstract syntax: a SOP Class or Meta SOP Class UID (sub-item 30H). */
  readonly abstractSyntax: string;
  /** One or more transfer syntax UIDs, in order of preference (sub-items 40H). */
  readonly transferSyntaxes: readonly string[];
}

/** The answer to one proposal: item 21H of the A-ASSOCIATE-AC (PS3.8 9.3.3.2, Table 9-18). */
export interface PresentationContextAnswer {
  /** The ID of the proposal being answered. */
  readonly id: number;
  /** A {@link PresentationContextResult} value (reserved values are kept as received). */
  readonly result: number;
  /**
   * The accepted transfer syntax UID. When `result` is not 0 the field is not significant
   * (PS3.8 Table 9-18): it may be '' and is decoded only for display.
   */
  readonly transferSyntax: string;
}

/** Most presentation contexts one association can carry: the odd IDs 1..255 (PS3.8 9.3.2.2). */
export const MAX_PRESENTATION_CONTEXTS = 128;

/**
 * Writes a Presentation Context item (20H) with its Abstract Syntax (30H) and Transfer Syntax
 * (40H) sub-items; reserved bytes are sent as 00H (PS3.8 Tables 9-13, 9-14, 9-15).
 * @throws {@link InvalidPduFieldError} for a bad ID, UID, or no transfer syntax.
 */
export function writePresentationContextProposal(
  writer: ByteWriter,
  proposal: PresentationContextProposal,
  field: string,
): void {
  checkPresentationContextId(`${field}.id`, proposal.id);
  if (proposal.transferSyntaxes.length === 0) {
    throw new InvalidPduFieldError(
      'needs one or more transfer syntaxes',
      `${field}.transferSyntaxes`,
    );
  }
  writeItem(writer, ItemType.PresentationContextRq, field, () => {
    writer.uint8(proposal.id);
    writer.zeros(3);
    writeItem(writer, ItemType.AbstractSyntax, `${field}.abstractSyntax`, () => {
      writeUid(writer, `${field}.abstractSyntax`, proposal.abstractSyntax);
    });
    proposal.transferSyntaxes.forEach((uid, index) => {
      writeItem(writer, ItemType.TransferSyntax, `${field}.transferSyntaxes[${index}]`, () => {
        writeUid(writer, `${field}.transferSyntaxes[${index}]`, uid);
      });
    });
  });
}

/**
 * Writes a Presentation Context item (21H) with one Transfer Syntax sub-item (40H), empty when
 * `transferSyntax` is '' (allowed only for a rejected context; PS3.8 Tables 9-18, 9-19).
 * @throws {@link InvalidPduFieldError} for a bad ID, result, or transfer syntax.
 */
export function writePresentationContextAnswer(
  writer: ByteWriter,
  answer: PresentationContextAnswer,
  field: string,
): void {
  checkPresentationContextId(`${field}.id`, answer.id);
  checkByte(`${field}.result`, answer.result);
  const isAccepted = answer.result === PresentationContextResult.Acceptance;
  writeItem(writer, ItemType.PresentationContextAc, field, () => {
    writer.uint8(answer.id);
    writer.uint8(0);
    writer.uint8(answer.result);
    writer.uint8(0);
    writeItem(writer, ItemType.TransferSyntax, `${field}.transferSyntax`, () => {
      writeUid(writer, `${field}.transferSyntax`, answer.transferSyntax, !isAccepted);
    });
  });
}

/**
 * Reads the body of a Presentation Context item (20H). Sub-items may come in any order; sub-items
 * of unknown type are skipped ("Items of unrecognized types shall be ignored and skipped",
 * PS3.8 9.3).
 * @throws {@link MalformedPduError} for an even ID, a missing or repeated abstract syntax, no
 *   transfer syntax, or a sub-item of another known type (reason 5).
 */
export function readPresentationContextProposal(body: ByteReader): PresentationContextProposal {
  const id = readContextId(body);
  body.skip(3); // reserved, not tested (PS3.8 Table 9-13)
  let abstractSyntax: string | undefined;
  const transferSyntaxes: string[] = [];
  for (const item of readItems(body)) {
    if (item.itemType === ItemType.AbstractSyntax) {
      if (abstractSyntax !== undefined) {
        body.fail(
          'second abstract syntax sub-item',
          AbortReason.UnexpectedPduParameter,
          item.offset,
        );
      }
      abstractSyntax = readUid(item.body, item.body.remaining);
    } else if (item.itemType === ItemType.TransferSyntax) {
      transferSyntaxes.push(readUid(item.body, item.body.remaining));
    } else {
      rejectKnownItem(body, item.itemType, item.offset);
    }
  }
  if (abstractSyntax === undefined) body.fail(`presentation context ${id} has no abstract syntax`);
  if (transferSyntaxes.length === 0) body.fail(`presentation context ${id} has no transfer syntax`);
  return { id, abstractSyntax, transferSyntaxes };
}

/**
 * Reads the body of a Presentation Context item (21H). For an accepted context exactly one
 * Transfer Syntax sub-item is required. For any other result the field "shall not be significant
 * and its value shall not be tested" (PS3.8 Table 9-18): it is decoded for display when it is a
 * well-formed 40H sub-item and otherwise ignored, never an error.
 * @throws {@link MalformedPduError} for an even ID or, when accepted, a missing or repeated
 *   transfer syntax or a sub-item of another known type (reason 5).
 */
export function readPresentationContextAnswer(body: ByteReader): PresentationContextAnswer {
  const id = readContextId(body);
  body.skip(1); // reserved
  const result = body.uint8();
  body.skip(1); // reserved
  if (result !== PresentationContextResult.Acceptance) {
    return { id, result, transferSyntax: peekRejectedTransferSyntax(body) };
  }
  let transferSyntax: string | undefined;
  for (const item of readItems(body)) {
    if (item.itemType === ItemType.TransferSyntax) {
      if (transferSyntax !== undefined) {
        body.fail(
          'second transfer syntax sub-item',
          AbortReason.UnexpectedPduParameter,
          item.offset,
        );
      }
      transferSyntax = readUid(item.body, item.body.remaining);
    } else {
      rejectKnownItem(body, item.itemType, item.offset);
    }
  }
  if (transferSyntax === undefined) {
    body.fail(`accepted presentation context ${id} has no transfer syntax`);
  }
  return { id, result, transferSyntax };
}

function readContextId(body: ByteReader): number {
  const offset = body.offset;
  const id = body.uint8();
  if (!isValidPresentationContextId(id)) {
    body.fail(`presentation context ID ${id} is not odd`, undefined, offset);
  }
  return id;
}

/** The transfer syntax of a rejected context, or '' when the field is anything else. */
function peekRejectedTransferSyntax(body: ByteReader): string {
  if (body.remaining < 4) return '';
  const itemType = body.uint8();
  body.skip(1);
  const length = body.uint16be();
  if (itemType !== ItemType.TransferSyntax || length > body.remaining) return '';
  return readUid(body, length);
}

/** A known item type in the wrong place is an unexpected parameter; unknown ones are skipped. */
function rejectKnownItem(body: ByteReader, itemType: number, offset: number): void {
  if (isKnownItemType(itemType)) {
    body.fail(
      `item 0x${itemType.toString(16)} does not belong in a presentation context`,
      AbortReason.UnexpectedPduParameter,
      offset,
    );
  }
}
