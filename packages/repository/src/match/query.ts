// The typed form of a query: what parseQuery makes of a C-FIND identifier or a Scope of Inventory
// item, and what matches() and toSql() consume. One Condition per matching key (PS3.4 C.2.2.2).

/** Query/Retrieve Level (0008,0052) values (PS3.4 C.6.1.1.1, C.6.2.1.1). */
export type QueryLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';

/** A date/time VR that supports Range Matching (PS3.4 C.2.2.2.5). */
export type DateTimeVr = 'DA' | 'TM' | 'DT';

/**
 * One key's matching rule. `tag` is 8 upper-case hex digits (`'00100010'`), `vr` the key's VR.
 * Values are normalized as described per kind; records are normalized the same way before they are
 * compared.
 */
export type Condition =
  /** Universal Matching (C.2.2.2.3): zero-length value, or a value of only `*` (C.2.2.2.4). */
  | { readonly kind: 'universal'; readonly tag: string; readonly vr: string }
  /**
   * Single Value Matching (C.2.2.2.1): `value` with its insignificant spaces removed (PS3.5 6.2).
   * `caseInsensitive` only for PN when configured (C.2.2.2.1 lets PN matching ignore case).
   */
  | {
      readonly kind: 'single';
      readonly tag: string;
      readonly vr: string;
      readonly value: string;
      readonly caseInsensitive: boolean;
    }
  /** List of UID Matching (C.2.2.2.2): any one of `values`. */
  | {
      readonly kind: 'uid-list';
      readonly tag: string;
      readonly vr: 'UI';
      readonly values: readonly string[];
    }
  /** Wild Card Matching (C.2.2.2.4): `pattern` with `*` and `?`. */
  | {
      readonly kind: 'wildcard';
      readonly tag: string;
      readonly vr: string;
      readonly pattern: string;
      readonly caseInsensitive: boolean;
    }
  /**
   * Range Matching (C.2.2.2.5), and Single Value Matching of a DA, TM or DT (a single date or time
   * stands for the interval its precision covers). Bounds are comparable strings, inclusive:
   * DA `YYYYMMDD`, TM `HHMMSS.FFFFFF`, DT `YYYYMMDDHHMMSS.FFFFFF` in UTC; an absent bound is open.
   */
  | {
      readonly kind: 'range';
      readonly tag: string;
      readonly vr: DateTimeVr;
      readonly from?: string;
      readonly to?: string;
    }
  /**
   * Combined datetime matching (C.2.2.2.5.4, with its extended negotiation): a DA key and its TM
   * key, both ranges of the same form, matched as one DT. Bounds `YYYYMMDDHHMMSS.FFFFFF`, local.
   */
  | {
      readonly kind: 'date-time-range';
      readonly tag: string;
      readonly timeTag: string;
      readonly vr: 'DA';
      readonly from?: string;
      readonly to?: string;
    }
  /** Empty Value Matching (C.2.2.2.7): the attribute is absent or has a zero-length value. */
  | { readonly kind: 'empty'; readonly tag: string; readonly vr: string }
  /** Multiple Value Matching (C.2.2.2.8): every one of `conditions` (all on `tag`) matches. */
  | {
      readonly kind: 'all-of';
      readonly tag: string;
      readonly vr: string;
      readonly conditions: readonly Condition[];
    }
  /**
   * Sequence Matching (C.2.2.2.6): at least one item of the attribute matches every condition of
   * the key's single item.
   */
  | {
      readonly kind: 'sequence';
      readonly tag: string;
      readonly vr: 'SQ';
      readonly conditions: readonly Condition[];
    };

/** A parsed, validated query. */
export interface Query {
  /** Query/Retrieve Level, when the identifier has one. */
  readonly level?: QueryLevel;
  /** One condition per matching key, in identifier order; all must match (C.2.2.2). */
  readonly conditions: readonly Condition[];
  /** Every key of the identifier (except Query/Retrieve Level), to be returned in responses. */
  readonly returnKeys: readonly string[];
  /**
   * Keys not supported for matching, treated as universal (a key inside a sequence key as
   * `sequenceTag/tag`): C-FIND still returns them; an
   * Inventory Creation answers 0xB010 and lists them (PS3.4 Table KK.2.2.3-1).
   */
  readonly ignoredKeys: readonly string[];
  /** Specific Character Set (0008,0005): never matched, says how values are encoded (C.2.2.2). */
  readonly specificCharacterSet?: readonly string[];
}

/** A value of a {@link MatchRecord} attribute: strings, or items for a sequence. */
export type MatchValue = readonly string[] | readonly MatchRecord[];

/**
 * What matches() is applied to: attributes by tag (8 upper-case hex digits) to their values as
 * DICOM strings (PN as `Alphabetic=Ideographic=Phonetic`), or to nested records for a sequence.
 * Absent and empty attributes are alike for Empty Value Matching.
 */
export interface MatchRecord {
  readonly [tag: string]: MatchValue | undefined;
}
