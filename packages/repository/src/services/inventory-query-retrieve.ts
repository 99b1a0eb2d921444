// Inventory Query/Retrieve SCP handlers over a Repository (PS3.4 Annex JJ): Inventory - FIND,
// - MOVE and - GET on the single-level Inventory Information Model (JJ.2), whose one entity is the
// Inventory IE of the Inventory IOD and whose unique key is SOP Instance UID (0008,0018).
//
// JJ.3.1 (C-FIND) and JJ.3.3 (C-GET) could not be read here (see the digest's corrections, §1.12);
// the sister non-patient services (II.4.1 Protocol Approval, X.4 Color Palette) use the Basic
// Worklist search method (K.4.1) with no Query/Retrieve Level, and JJ.3.2 forbids that attribute
// for C-MOVE. So here (UNCONFIRMED, by that analogy): an Identifier WITH Query/Retrieve Level
// (0008,0052) is answered 0xA900 "Identifier does not match SOP Class" (PS3.4 C.4.1.1.4, C.4.2.1.5,
// C.4.3.1.4) naming it as Offending Element, for FIND, GET and MOVE alike.
import type { DataElement, DataSet } from '@dicomnet/data';
import type {
  CGetRequest,
  CMoveRequest,
  DimseHandlers,
  FindMatches,
  FindRequest,
  HandlerResult,
  RetrieveAnswer,
  StatusReply,
  StoreInstance,
} from '@dicomnet/dimse';
import { InventoryTag } from '../inventory/inventory-record.js';
import { parseQuery, QueryError } from '../match/index.js';
import type { Query } from '../match/index.js';
import type { Repository } from '../repository.js';
import { NOT_ASCII, setCharacterSet } from './find-response.js';
import { IDENTIFIER_DOES_NOT_MATCH, refusal, SOP_CLASS_NOT_SUPPORTED } from './refusal.js';
import { storeInstanceOf } from './store-instance.js';

/** SOP Class UIDs of Inventory Query/Retrieve (PS3.4 JJ; PS3.6 Table A-1). */
export const INVENTORY_QUERY_RETRIEVE_SOP_CLASSES = {
  find: '1.2.840.10008.5.1.4.1.1.201.2',
  move: '1.2.840.10008.5.1.4.1.1.201.3',
  get: '1.2.840.10008.5.1.4.1.1.201.4',
} as const;

/** Options of {@link createInventoryQueryRetrieveHandlers}. */
export interface InventoryQueryRetrieveOptions {
  /** Returned in Retrieve AE Title (0008,0054) when asked for: our AE title. */
  readonly retrieveAeTitle?: string;
  /** Minutes east of UTC of stored DT values without an offset; default 0. */
  readonly timezoneOffsetMinutes?: number;
}

const SPECIFIC_CHARACTER_SET = '00080005';
const RETRIEVE_AE_TITLE = '00080054';
const SOP_INSTANCE_UID = InventoryTag.sopInstanceUid;

/** The keys the Inventory table holds, matched and returned (PS3.3 C.38.1, F.5.48; PS3.4 JJ.2). */
const HELD: ReadonlySet<string> = new Set(
  Object.values(InventoryTag).filter((tag) => tag !== SPECIFIC_CHARACTER_SET),
);

/** Parses an Inventory Identifier: single level, so no Query/Retrieve Level (JJ.2, JJ.3.2). */
function parseIdentifier(identifier: DataSet): Query | StatusReply {
  try {
    return parseQuery(identifier, {
      level: 'forbidden',
      // Top-level keys the table holds; inside Scope of Inventory Sequence every key, matched
      // against the stored items (Sequence Matching, C.2.2.2.6). Others are universal and come
      // back zero-length.
      isMatchable: (tag, path) =>
        path.length === 0 ? HELD.has(tag) : path[0] === InventoryTag.scopeOfInventorySequence,
    });
  } catch (error) {
    if (error instanceof QueryError) return refusal(error.findStatus, error.message, error.tag);
    throw error;
  }
}

function hasNonAscii(element: DataElement): boolean {
  return (element.Value ?? []).some((value) => {
    if (typeof value === 'string') return NOT_ASCII.test(value);
    if (typeof value !== 'object') return false;
    if (element.vr === 'PN') return NOT_ASCII.test(Object.values(value).join(''));
    // An item of a sequence: a data set.
    return Object.values(value as DataSet).some(hasNonAscii);
  });
}

/**
 * One C-FIND response Identifier: every key of the request with the stored value, zero-length where
 * the index holds none (PS3.4 C.4.1.1.3.2; K.4.1.1.3.2 for the Worklist search method). Scope of
 * Inventory Sequence comes back as the instance holds it. No Query/Retrieve Level (single level).
 */
function inventoryResponse(
  stored: DataSet,
  identifier: DataSet,
  options: InventoryQueryRetrieveOptions,
): DataSet {
  const response: Record<string, DataElement> = {};
  let nonAscii = false;
  for (const [tag, requested] of Object.entries(identifier)) {
    if (tag === SPECIFIC_CHARACTER_SET) continue;
    let element: DataElement = { vr: requested.vr };
    if (tag === RETRIEVE_AE_TITLE && options.retrieveAeTitle !== undefined)
      element = { vr: 'AE', Value: [options.retrieveAeTitle] };
    else if (HELD.has(tag) && stored[tag] !== undefined) element = stored[tag];
    if (hasNonAscii(element)) nonAscii = true;
    response[tag] = element;
  }
  setCharacterSet(response, identifier, nonAscii);
  return response;
}

/**
 * C-FIND, C-GET and C-MOVE handlers for Inventory Query/Retrieve (PS3.4 JJ) over `repository`, to
 * pass to `createServer` (with presentation contexts for {@link INVENTORY_QUERY_RETRIEVE_SOP_CLASSES}
 * and, for C-GET, the SCP role for Inventory Storage; `moveDestinations` for C-MOVE). Combine
 * them with the Patient/Study Root handlers through {@link withInventoryQueryRetrieve}.
 *
 * - FIND: matches the keys of the Inventory table (PS3.4 C.2.2.2: single value, list of UIDs,
 *   wild card, range, empty value, Sequence Matching inside Scope of Inventory Sequence) in SOP
 *   Instance UID order; a C-CANCEL stops it (0xFE00).
 * - GET and MOVE (JJ.3.2): the Identifier names SOP Instance UID (0008,0018), one UID or a list
 *   (List of UID Matching); no relational retrieve; other keys are not matched. Without it:
 *   0xA900 naming (0008,0018).
 * - With Query/Retrieve Level, or a malformed key: 0xA900 (see the module comment).
 */
export function createInventoryQueryRetrieveHandlers(
  repository: Repository,
  options: InventoryQueryRetrieveOptions = {},
): Required<Pick<DimseHandlers, 'find' | 'get' | 'move'>> {
  const timezone = { timezoneOffsetMinutes: options.timezoneOffsetMinutes ?? 0 };

  async function* find(request: FindRequest): AsyncGenerator<DataSet, HandlerResult, undefined> {
    if (request.sopClassUid !== INVENTORY_QUERY_RETRIEVE_SOP_CLASSES.find)
      return SOP_CLASS_NOT_SUPPORTED;
    const query = parseIdentifier(request.identifier);
    if ('status' in query) return query;
    for await (const match of repository.matchInventories(query, {
      ...timezone,
      signal: request.signal,
    })) {
      yield inventoryResponse(match.dataSet, request.identifier, options);
    }
    return undefined;
  }

  async function retrieve(
    request: CGetRequest | CMoveRequest,
    sopClassUid: string,
  ): Promise<RetrieveAnswer> {
    if (request.sopClassUid !== sopClassUid) return SOP_CLASS_NOT_SUPPORTED;
    const parsed = parseIdentifier(request.identifier);
    if ('status' in parsed) return parsed;
    // PS3.4 JJ.3.2: the unique key, one SOP Instance UID or a list of them.
    const unique = parsed.conditions.find((condition) => condition.tag === SOP_INSTANCE_UID);
    if (unique?.kind !== 'single' && unique?.kind !== 'uid-list')
      return refusal(
        IDENTIFIER_DOES_NOT_MATCH,
        'a retrieve names SOP Instance UIDs',
        SOP_INSTANCE_UID,
      );
    const set = await repository.inventoriesOf(
      { ...parsed, conditions: [unique] },
      { ...timezone, signal: request.signal },
    );
    async function* instances(): AsyncGenerator<StoreInstance> {
      for await (const reference of set.instances)
        yield await storeInstanceOf(repository, reference, request.signal);
    }
    return { total: set.total, instances: instances() };
  }

  return {
    find: (request: FindRequest): FindMatches => find(request),
    get: (request) => retrieve(request, INVENTORY_QUERY_RETRIEVE_SOP_CLASSES.get),
    move: (request) => retrieve(request, INVENTORY_QUERY_RETRIEVE_SOP_CLASSES.move),
  };
}

const INVENTORY_CLASSES: ReadonlySet<string> = new Set(
  Object.values(INVENTORY_QUERY_RETRIEVE_SOP_CLASSES),
);

/**
 * One set of find/get/move handlers that sends requests of the Inventory Query/Retrieve SOP
 * classes to `inventory` and every other to `others` (e.g. {@link createQueryRetrieveHandlers}).
 */
export function withInventoryQueryRetrieve(
  others: Required<Pick<DimseHandlers, 'find' | 'get' | 'move'>>,
  inventory: Required<Pick<DimseHandlers, 'find' | 'get' | 'move'>>,
): Required<Pick<DimseHandlers, 'find' | 'get' | 'move'>> {
  return {
    find: (request) =>
      INVENTORY_CLASSES.has(request.sopClassUid) ? inventory.find(request) : others.find(request),
    get: (request) =>
      INVENTORY_CLASSES.has(request.sopClassUid) ? inventory.get(request) : others.get(request),
    move: (request) =>
      INVENTORY_CLASSES.has(request.sopClassUid) ? inventory.move(request) : others.move(request),
  };
}
