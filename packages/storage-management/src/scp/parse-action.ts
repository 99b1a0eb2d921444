// Reads the values of an Inventory Creation N-ACTION into a typed action, or the refusal that
// answers it (PS3.4 KK.2.2.3, Table KK.2.2.3-1; PS3.7 10.1.4.1.10 and Annex C).
import type { DataElement, DataSet } from '@dicomnet/data';
import type { ReplyWithDataSet } from '@dicomnet/dimse';
import type { Query } from '@dicomnet/repository';
import { parseInventoryScope, QueryError } from '@dicomnet/repository';
import { ActionType, INVENTORY_LEVELS } from '../message-types.js';
import type { ActionTypeId, InventoryLevel } from '../message-types.js';
import { Tag } from '../tags.js';
import { checkArgumentPresence } from './action-arguments.js';

/** Retain Instances (0008,0415) values. UNCONFIRMED (storage-management.md §21.4): YES / NO. */
export const RETAIN_INSTANCES = { yes: 'YES', no: 'NO' } as const;

/** An N-ACTION the SCP understood, by action type (PS3.4 Table KK.2-1). */
export type InventoryAction =
  | {
      readonly kind: 'initiate';
      readonly transactionUid: string;
      readonly level: InventoryLevel;
      /** The Scope of Inventory item; undefined for a universal match (no item). */
      readonly scope: DataSet | undefined;
      readonly query: Query;
      readonly purpose: string | undefined;
      readonly statusInterval: number | undefined;
      /** Keys not supported for matching: answered 0xB010 with their tags (KK.2.2.3). */
      readonly ignoredKeys: readonly number[];
    }
  | {
      readonly kind: 'status';
      readonly transactionUid: string;
      readonly statusInterval: number | undefined;
    }
  | { readonly kind: 'cancel'; readonly transactionUid: string; readonly retain: boolean }
  | { readonly kind: 'pause'; readonly transactionUid: string }
  | { readonly kind: 'resume'; readonly transactionUid: string };

/** What the SCP supports, as its conformance statement says (storage-management.md §10). */
export interface ActionPolicy {
  /** Inventory Level values produced; others are 0212H (KK.2.2.3). */
  readonly levels: readonly InventoryLevel[];
  /** Specific Character Set defined terms accepted; others are 0212H (KK.2.2.3). */
  readonly characterSets: readonly string[];
  /** Whether a Scope of Inventory key can be matched (the source's answer). */
  readonly isMatchable: (tag: string) => boolean;
}

export type ParsedAction =
  { readonly action: InventoryAction } | { readonly refusal: ReplyWithDataSet };

/** PS3.5 9.1: at most 64 characters, components of digits without leading zeros. */
export function isUid(value: string): boolean {
  return value.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(value);
}

function text(element: DataElement | undefined): string | undefined {
  const value = element?.Value?.[0];
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * 0115H Invalid argument value with Action Type ID (added by the DIMSE layer) and, as PS3.7 C.5.10
 * allows, a data set echoing the invalid Action Information values.
 */
export function invalidValue(information: DataSet, ...tags: string[]): ReplyWithDataSet {
  const echo: Record<string, DataElement> = {};
  for (const tag of tags) {
    const element = information[tag];
    if (element !== undefined) echo[tag] = element;
  }
  return { status: 0x0115, dataSet: echo };
}

function mistyped(errorComment: string): ReplyWithDataSet {
  return { status: 0x0212, errorComment }; // Table KK.2.2.3-1 lists Error Comment with 0212H
}

function transactionUidOf(information: DataSet): string | ReplyWithDataSet {
  const uid = text(information[Tag.TransactionUID]) ?? '';
  return isUid(uid) ? uid : invalidValue(information, Tag.TransactionUID);
}

/**
 * Requested Status Interval (0008,0414) US: seconds (the unit is UNCONFIRMED, storage-management.md
 * §3); 0 asks for no periodic report (a dicomnet choice: US cannot say "never" otherwise).
 */
function intervalOf(information: DataSet): number | undefined | ReplyWithDataSet {
  const element = information[Tag.RequestedStatusInterval];
  if (element === undefined) return undefined;
  const value = element.Value?.[0];
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > 0xffff)
    return invalidValue(information, Tag.RequestedStatusInterval);
  return seconds;
}

function isReply(value: unknown): value is ReplyWithDataSet {
  return typeof value === 'object' && value !== null && 'status' in value;
}

function characterSetsOf(element: DataElement | undefined): string[] {
  return (element?.Value ?? []).map((value) => (typeof value === 'string' ? value.trim() : ''));
}

function unsupportedCharacterSet(
  policy: ActionPolicy,
  ...elements: (DataElement | undefined)[]
): string | undefined {
  for (const element of elements) {
    for (const term of characterSetsOf(element)) {
      // An empty first value is the default repertoire (PS3.3 C.12.1.1.2).
      if (term !== '' && !policy.characterSets.includes(term)) return term;
    }
  }
  return undefined;
}

function parseInitiate(
  information: DataSet,
  transactionUid: string,
  policy: ActionPolicy,
): ParsedAction {
  const levelText = text(information[Tag.InventoryLevel]) ?? '';
  // KK.2.2.3: a level the SCP does not support is 0212H; a value outside the three is by
  // definition unsupported (storage-management.md §9 lets either 0212H or 0115H; we pick 0212H).
  if (!(INVENTORY_LEVELS as readonly string[]).includes(levelText)) {
    return { refusal: mistyped(`Inventory Level ${levelText} is not STUDY, SERIES or INSTANCE`) };
  }
  const level = levelText as InventoryLevel; // one of INVENTORY_LEVELS, checked above
  if (!policy.levels.includes(level)) {
    return { refusal: mistyped(`Inventory Level ${level} is not supported`) };
  }
  const items = information[Tag.ScopeOfInventorySequence]?.Value ?? [];
  // PS3.3 C.38.2.1: "Zero or one Item".
  if (items.length > 1) return { refusal: invalidValue(information, Tag.ScopeOfInventorySequence) };
  const item = items[0];
  if (item !== undefined && (typeof item !== 'object' || 'Alphabetic' in item)) {
    return { refusal: invalidValue(information, Tag.ScopeOfInventorySequence) };
  }
  const scope = item as DataSet | undefined; // an SQ item: checked above
  const term = unsupportedCharacterSet(
    policy,
    information[Tag.SpecificCharacterSet],
    scope?.[Tag.SpecificCharacterSet],
  );
  if (term !== undefined) return { refusal: mistyped(`Specific Character Set ${term}`) };
  const interval = intervalOf(information);
  if (isReply(interval)) return { refusal: interval };
  let query: Query;
  try {
    query = parseInventoryScope(scope, { isMatchable: (tag) => policy.isMatchable(tag) });
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    return {
      refusal:
        error.inventoryStatus === 0x0212
          ? mistyped(error.message)
          : invalidValue(information, Tag.ScopeOfInventorySequence),
    };
  }
  // A key inside a sequence key is reported as `sequenceTag/tag`: name the top-level key.
  const ignored = [...new Set(query.ignoredKeys.map((key) => key.split('/')[0] ?? key))];
  return {
    action: {
      kind: 'initiate',
      transactionUid,
      level,
      scope,
      query,
      purpose: text(information[Tag.InventoryPurpose]),
      statusInterval: interval,
      ignoredKeys: ignored.map((key) => Number.parseInt(key, 16)),
    },
  };
}

/**
 * Parses the Action Information of `actionTypeId` (already known to be 11–15).
 * @param policy - What this SCP supports.
 * @returns The action, or the refusal: 0114H, 0120H, 0121H (presence), 0115H (a value that
 *   is not a UID, a Retain Instances other than YES/NO, more than one scope item, a malformed
 *   key), 0212H (unsupported level, character set or matching mechanism).
 */
export function parseAction(
  actionTypeId: ActionTypeId,
  information: DataSet,
  policy: ActionPolicy,
): ParsedAction {
  const presence = checkArgumentPresence(actionTypeId, information);
  if (presence !== undefined) return { refusal: presence };
  const transactionUid = transactionUidOf(information);
  if (isReply(transactionUid)) return { refusal: transactionUid };
  switch (actionTypeId) {
    case ActionType.Initiate:
      return parseInitiate(information, transactionUid, policy);
    case ActionType.RequestStatus: {
      const interval = intervalOf(information);
      if (isReply(interval)) return { refusal: interval };
      return { action: { kind: 'status', transactionUid, statusInterval: interval } };
    }
    case ActionType.Cancel: {
      const retain = text(information[Tag.RetainInstances]);
      if (retain !== RETAIN_INSTANCES.yes && retain !== RETAIN_INSTANCES.no)
        return { refusal: invalidValue(information, Tag.RetainInstances) };
      return {
        action: { kind: 'cancel', transactionUid, retain: retain === RETAIN_INSTANCES.yes },
      };
    }
    case ActionType.Pause:
      return { action: { kind: 'pause', transactionUid } };
    case ActionType.Resume:
      return { action: { kind: 'resume', transactionUid } };
  }
}
