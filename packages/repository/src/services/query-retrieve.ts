// Query/Retrieve SCP handlers over a Repository (PS3.4 C.4.1 C-FIND, C.4.2 C-MOVE, C.4.3 C-GET)
// for the Patient Root and Study Root models (C.6.1, C.6.2), for @dicomnet/dimse's createServer:
// matches stream from Repository.match as Pending responses, instances to send from
// Repository.read, one at a time. Move destinations are the server's AE table
// (`moveDestinations` of createServer).
import type { DataSet } from '@dicomnet/data';
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
import { parseQuery, QueryError } from '../match/index.js';
import type { Condition, ParseQueryOptions, Query, QueryLevel } from '../match/index.js';
import { attributesAt } from '../query/indexed-attributes.js';
import type { Repository } from '../repository.js';
import { findResponse } from './find-response.js';
import { IDENTIFIER_DOES_NOT_MATCH, refusal, SOP_CLASS_NOT_SUPPORTED } from './refusal.js';
import { storeInstanceOf } from './store-instance.js';
import { levelsOf, modelOf, UNIQUE_KEY } from './query-retrieve-models.js';
import type { QueryRetrieveModel } from './query-retrieve-models.js';

/** Options of {@link createQueryRetrieveHandlers}. */
export interface QueryRetrieveOptions {
  /** Returned in Retrieve AE Title (0008,0054) when asked for: our AE title. */
  readonly retrieveAeTitle?: string;
  /**
   * PN Single Value and Wild Card Matching: case-sensitive (the default, as every other VR) or
   * not (PS3.4 C.2.2.2.1 leaves it to the implementation; state it in the Conformance Statement).
   */
  readonly personNameCase?: 'sensitive' | 'insensitive';
  /** Find and retrieve what was Removed from Operational Use too; default false. */
  readonly includeRemoved?: boolean;
}

/** The first single value of a condition, when it is one (Single Value Matching). */
function singleValue(condition: Condition | undefined): string | undefined {
  return condition?.kind === 'single' ? condition.value : undefined;
}

/**
 * Parses a request's Identifier for `model` and checks the hierarchical rules (PS3.4
 * C.4.1.2.2.1, C.4.2.2.1, C.4.3.2.1): the level is one of the model's, and each level above it
 * has its unique key with a single value; for a retrieve, the level's own unique key is a single
 * value or (below PATIENT) a list of UIDs.
 * @returns The query, or the refusal to answer with.
 */
function parseRequest(
  identifier: DataSet,
  model: QueryRetrieveModel,
  purpose: 'find' | 'retrieve',
  options: QueryRetrieveOptions,
): Query | StatusReply {
  let query: Query;
  try {
    const parseOptions: ParseQueryOptions = {
      level: 'required',
      personNameCase: options.personNameCase ?? 'sensitive',
      // Keys the index does not hold are universal: they come back zero-length.
      isMatchable: (tag, path) => path.length === 0 && held.has(tag),
    };
    query = parseQuery(identifier, parseOptions);
  } catch (error) {
    if (error instanceof QueryError) return refusal(error.findStatus, error.message, error.tag);
    throw error;
  }
  const level = query.level as QueryLevel; // required above
  const levels = levelsOf(model);
  const depth = levels.indexOf(level);
  if (depth === -1)
    return refusal(IDENTIFIER_DOES_NOT_MATCH, `level ${level} is not in this model`, '00080052');
  const byTag = new Map(query.conditions.map((condition) => [condition.tag, condition]));
  for (const above of levels.slice(0, depth)) {
    const key = UNIQUE_KEY[above];
    if (singleValue(byTag.get(key)) === undefined)
      return refusal(IDENTIFIER_DOES_NOT_MATCH, `the ${above} unique key needs one value`, key);
  }
  if (purpose === 'find') return query;
  const own = byTag.get(UNIQUE_KEY[level]);
  const listed = own?.kind === 'single' || (own?.kind === 'uid-list' && level !== 'PATIENT');
  if (!listed)
    return refusal(
      IDENTIFIER_DOES_NOT_MATCH,
      `a retrieve names the ${level} unique key`,
      UNIQUE_KEY[level],
    );
  // A retrieve selects by unique keys only (C.4.2.2.1); other keys are not matched.
  const unique = new Set(levels.slice(0, depth + 1).map((each) => UNIQUE_KEY[each]));
  return { ...query, conditions: query.conditions.filter((each) => unique.has(each.tag)) };
}

const held: ReadonlySet<string> = new Set(attributesAt('IMAGE').map((attribute) => attribute.tag));

/**
 * C-FIND, C-GET and C-MOVE handlers for the Patient Root and Study Root Query/Retrieve
 * Information Models over `repository`, to pass to `createServer` (with presentation contexts for
 * the SOP classes of {@link QUERY_RETRIEVE_SOP_CLASSES}, the storage SOP classes a C-GET sends
 * with the SCP role, and `moveDestinations` for C-MOVE).
 *
 * C-FIND answers each match with the requested keys only (PS3.4 C.4.1.1.3.2), in the order of
 * the level's unique key; a C-CANCEL stops it (0xFE00). Malformed keys, a level outside the
 * model or a missing unique key of a level above answer 0xA900; keys the index does not hold are
 * not matched and come back zero-length. C-GET and C-MOVE send every instance under what the
 * unique keys name, each file read when its sub-operation starts.
 */
export function createQueryRetrieveHandlers(
  repository: Repository,
  options: QueryRetrieveOptions = {},
): Required<Pick<DimseHandlers, 'find' | 'get' | 'move'>> {
  const matchOptions = { includeRemoved: options.includeRemoved ?? false };

  async function* find(request: FindRequest): AsyncGenerator<DataSet, HandlerResult, undefined> {
    const model = modelOf(request.sopClassUid);
    if (model === undefined) return SOP_CLASS_NOT_SUPPORTED;
    const query = parseRequest(request.identifier, model, 'find', options);
    if ('status' in query) return query;
    const level = query.level as QueryLevel;
    const context = { level, retrieveAeTitle: options.retrieveAeTitle };
    for await (const record of repository.match(query, {
      ...matchOptions,
      signal: request.signal,
    })) {
      yield findResponse(record.attributes, request.identifier, context);
    }
    return undefined;
  }

  async function retrieve(request: CGetRequest | CMoveRequest): Promise<RetrieveAnswer> {
    const model = modelOf(request.sopClassUid);
    if (model === undefined) return SOP_CLASS_NOT_SUPPORTED;
    const query = parseRequest(request.identifier, model, 'retrieve', options);
    if ('status' in query) return query;
    const set = await repository.instancesOf(query, { ...matchOptions, signal: request.signal });
    async function* instances(): AsyncGenerator<StoreInstance> {
      for await (const reference of set.instances)
        yield await storeInstanceOf(repository, reference, request.signal);
    }
    return { total: set.total, instances: instances() };
  }

  return {
    find: (request: FindRequest): FindMatches => find(request),
    get: retrieve,
    move: retrieve,
  };
}
