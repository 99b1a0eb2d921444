import { DicomnetError, formatTag, tagNumber } from '@dicomnet/data';

/** Codes of {@link QueryError}. */
export type QueryErrorCode =
  | 'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE'
  | 'DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_KEY'
  | 'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL'
  | 'DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_MECHANISM';

// The statuses each code answers with, by service. C-FIND: 0xA900 "Identifier does not match SOP
// Class" (PS3.4 C.4.1.1.4), 0xC000 "Unable to process". Inventory Creation N-ACTION (PS3.4
// Table KK.2.2.3-1, PS3.7 10.1.4.1.10): 0x0115 invalid argument value, 0xB010 key not supported
// for matching (a warning: production starts and the key is ignored), 0x0212 mistyped argument
// (unsupported Extended Matching Mechanisms value or level).
const STATUSES: Readonly<Record<QueryErrorCode, { find: number; inventory: number }>> = {
  DICOMNET_REPOSITORY_QUERY_INVALID_VALUE: { find: 0xa900, inventory: 0x0115 },
  DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_KEY: { find: 0xc000, inventory: 0xb010 },
  DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL: { find: 0xa900, inventory: 0x0212 },
  DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_MECHANISM: { find: 0xc000, inventory: 0x0212 },
};

/**
 * A query identifier (C-FIND) or Scope of Inventory item that cannot be matched: a key whose value
 * is malformed for its matching type (PS3.4 C.2.2.2), a key the caller does not support for
 * matching (only with `unsupportedKeys: 'reject'`), a missing or unknown Query/Retrieve Level, or
 * an Extended Matching Mechanisms value we do not implement. `tag` names the key (8 hex digits),
 * `reason` says why; `findStatus` and `inventoryStatus` are the DIMSE statuses to answer with.
 */
export class QueryError extends DicomnetError {
  /** The C-FIND status to answer with. */
  readonly findStatus: number;
  /** The Inventory Creation N-ACTION status to answer with. */
  readonly inventoryStatus: number;

  /**
   * @param code - What is wrong.
   * @param tag - The key, as 8 upper-case hex digits; undefined when no single key is at fault.
   * @param reason - Human text saying why.
   */
  constructor(
    code: QueryErrorCode,
    readonly tag: string | undefined,
    readonly reason: string,
  ) {
    super(code, tag === undefined ? reason : `${formatTag(tagNumber(tag))}: ${reason}`);
    this.findStatus = STATUSES[code].find;
    this.inventoryStatus = STATUSES[code].inventory;
  }
}
