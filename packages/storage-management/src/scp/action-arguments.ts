// The Action Information each Inventory Creation action takes (PS3.4 Table KK.2-1) and how its
// usage codes are checked (PS3.4 5.4.2.1): an attribute the action does not define is 0114H No
// such argument (PS3.7 C.5.16); a mandatory one left out is 0120H Missing Attribute with the tags
// in Attribute Identifier List (C.5.13); one sent empty where zero length is not permitted is
// 0121H Missing Attribute Value (C.5.14).
import type { DataSet } from '@dicomnet/data';
import { tagNumber } from '@dicomnet/data';
import type { ReplyWithDataSet } from '@dicomnet/dimse';
import { ActionType } from '../message-types.js';
import type { ActionTypeId } from '../message-types.js';
import { Tag } from '../tags.js';

/** PS3.4 5.4.2.1 usage: 1/1 mandatory, not empty; 2/2 mandatory, may be empty; 3/1 optional, not empty. */
type Usage = '1/1' | '2/2' | '3/1';

const ARGUMENTS: Readonly<Record<ActionTypeId, Readonly<Record<string, Usage>>>> = {
  [ActionType.Initiate]: {
    [Tag.TransactionUID]: '1/1',
    [Tag.ScopeOfInventorySequence]: '2/2',
    [Tag.InventoryPurpose]: '3/1',
    [Tag.InventoryLevel]: '1/1',
    [Tag.RequestedStatusInterval]: '3/1',
  },
  [ActionType.RequestStatus]: {
    [Tag.TransactionUID]: '1/1',
    [Tag.RequestedStatusInterval]: '3/1',
  },
  [ActionType.Cancel]: { [Tag.TransactionUID]: '1/1', [Tag.RetainInstances]: '1/1' },
  [ActionType.Pause]: { [Tag.TransactionUID]: '1/1' },
  [ActionType.Resume]: { [Tag.TransactionUID]: '1/1' },
};

/** Whether `id` is one of the five action types of Table KK.2-1. */
export function isActionType(id: number): id is ActionTypeId {
  return Object.prototype.hasOwnProperty.call(ARGUMENTS, id);
}

/**
 * Specific Character Set (0008,0005) says how the data set's text is encoded (PS3.5 6.1.2.3), so
 * it may accompany any action's arguments without being one; group lengths likewise.
 */
function isEncodingAttribute(tag: string): boolean {
  return tag === Tag.SpecificCharacterSet || tag.endsWith('0000');
}

function isEmpty(information: DataSet, tag: string): boolean {
  const element = information[tag];
  return element?.Value === undefined || element.Value.length === 0;
}

/**
 * Checks which arguments are there against Table KK.2-1: the refusal to answer with, or
 * undefined when every argument is defined for the action and the mandatory ones have values.
 */
export function checkArgumentPresence(
  actionTypeId: ActionTypeId,
  information: DataSet,
): ReplyWithDataSet | undefined {
  const usages = ARGUMENTS[actionTypeId];
  const undefinedHere = Object.keys(information).filter(
    (tag) => usages[tag] === undefined && !isEncodingAttribute(tag),
  );
  if (undefinedHere.length > 0) return { status: 0x0114 }; // C.5.16: Action Type ID goes back
  const missing = Object.entries(usages)
    .filter(([tag, usage]) => usage !== '3/1' && information[tag] === undefined)
    .map(([tag]) => tagNumber(tag));
  if (missing.length > 0) return { status: 0x0120, attributeIdentifierList: missing };
  const empty = Object.entries(usages).some(
    ([tag, usage]) =>
      usage !== '2/2' && information[tag] !== undefined && isEmpty(information, tag),
  );
  if (empty) return { status: 0x0121 }; // C.5.14 has no companion field for N-ACTION
  return undefined;
}
