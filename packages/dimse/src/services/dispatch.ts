import { Priority } from '../command/index.js';
import type {
  CEchoRq,
  CFindRq,
  CGetRq,
  CMoveRq,
  CStoreRq,
  DimseRequest,
} from '../command/index.js';
import type { DataSet, DataSetCodec } from '@dicomnet/data';
import type {
  IncomingRequest,
  OutgoingResponse,
  OutgoingResponses,
  RequestDispatcher,
} from '../association/incoming-requests.js';
import { namesTypeId } from '../association/type-id-rule.js';
import type { DimseClient } from '../client/dimse-client.js';
import type { StoreRoute } from '../client/store-route.js';
import type {
  CGetRequest,
  DimseHandlers,
  HandlerResult,
  ReplyWithDataSet,
  RequestContext,
  StoreRequest,
} from './handlers.js';
import type { StatusReply } from './results.js';
import { replyOf, statusFields } from './results.js';
import { findResponses } from './find-responses.js';
import { lookUpDestination, MoveSender } from './move-sender.js';
import type { MoveDestinations } from './move-sender.js';
import {
  closingAfter,
  retrieveRefusal,
  retrieveResponses,
  retrieveSetOf,
} from './retrieve-responses.js';

const UNRECOGNIZED_OPERATION = 0x0211; // PS3.7 C.5.23
const MOVE_DESTINATION_UNKNOWN = 0xa801; // PS3.4 Table C.4-2
const SOP_CLASS_NOT_SUPPORTED = 0x0122; // PS3.7 C.5.6

/**
 * Routes each incoming request to its handler (one case per DIMSE service, PS3.7 §9–§10),
 * decoding N-service data sets with `codec` and encoding the reply's data set in the request's
 * transfer syntax.
 */
export function createDispatcher(
  handlers: DimseHandlers,
  codec: DataSetCodec,
  peer: () => DimseClient,
  options: { readonly stores?: StoreRoute; readonly moveDestinations?: MoveDestinations } = {},
): RequestDispatcher {
  const { stores, moveDestinations } = options;
  // C-ECHO and C-STORE come one per message at high rates: they get functions of their own that
  // build nothing the other services need (no codec closures, no bound handler, no spread).
  const answerEcho = (
    incoming: IncomingRequest,
    message: CEchoRq,
  ): OutgoingResponse | Promise<OutgoingResponse> => {
    // Verification needs no handler: accepting its context is the policy (PS3.4 A.4), and the
    // answer, Success, is known at once (PS3.7 9.1.5.1.4).
    const echo = handlers.echo;
    if (echo === undefined) {
      return {
        message: {
          kind: 'C-ECHO-RSP',
          affectedSopClassUid: message.affectedSopClassUid,
          status: 0,
        },
      };
    }
    return (async (): Promise<OutgoingResponse> => {
      const reply = replyOf(
        await echo.call(handlers, {
          ...requestContext(incoming, peer()),
          sopClassUid: message.affectedSopClassUid,
        }),
      );
      return {
        message: {
          kind: 'C-ECHO-RSP',
          affectedSopClassUid: message.affectedSopClassUid,
          ...statusFields(reply),
        },
      };
    })();
  };
  const answerStore = async (
    incoming: IncomingRequest,
    message: CStoreRq,
  ): Promise<OutgoingResponse> => {
    // A C-GET of ours that brought its own handler receives its sub-operations.
    const route = stores?.current;
    const handler = route ?? handlers.store;
    let reply: StatusReply;
    if (handler === undefined) {
      reply = { status: SOP_CLASS_NOT_SUPPORTED };
    } else {
      const client = peer();
      const request: StoreRequest = {
        association: client.negotiated,
        peer: client,
        presentationContextId: incoming.context.id,
        transferSyntaxUid: incoming.context.transferSyntax,
        signal: incoming.signal,
        messageId: message.messageId,
        responded: incoming.responded,
        sopClassUid: message.affectedSopClassUid,
        sopInstanceUid: message.affectedSopInstanceUid,
        priority: message.priority ?? Priority.Medium,
        moveOriginator:
          message.moveOriginatorApplicationEntityTitle !== undefined &&
          message.moveOriginatorMessageId !== undefined
            ? {
                aeTitle: message.moveOriginatorApplicationEntityTitle,
                messageId: message.moveOriginatorMessageId,
              }
            : undefined,
        // The association layer always streams C-STORE data sets.
        dataSet: incoming.stream ?? emptyStream(),
      };
      reply = replyOf(
        await (route === undefined ? handlers.store?.call(handlers, request) : route(request)),
      );
    }
    return {
      message: {
        kind: 'C-STORE-RSP',
        affectedSopClassUid: message.affectedSopClassUid,
        affectedSopInstanceUid: message.affectedSopInstanceUid,
        ...statusFields(reply),
      },
    };
  };
  const answerOther = async (
    incoming: IncomingRequest,
  ): Promise<OutgoingResponse | OutgoingResponses> => {
    const { message, context } = incoming;
    const transferSyntaxUid = context.transferSyntax;
    const client = peer();
    const base = requestContext(incoming, client);
    const decoded = (): DataSet | undefined =>
      incoming.dataSet === undefined
        ? undefined
        : codec.decode(incoming.dataSet, transferSyntaxUid);
    const encodeIdentifier = (identifier: DataSet): Uint8Array =>
      codec.encode(identifier, transferSyntaxUid);
    const encode = (reply: ReplyWithDataSet): Uint8Array | undefined =>
      reply.dataSet === undefined ? undefined : codec.encode(reply.dataSet, transferSyntaxUid);
    switch (message.kind) {
      case 'C-ECHO-RQ':
        return answerEcho(incoming, message);
      case 'C-STORE-RQ':
        return answerStore(incoming, message);
      case 'N-EVENT-REPORT-RQ': {
        const reply = await answer(handlers.eventReport, () => ({
          ...base,
          sopClassUid: message.affectedSopClassUid,
          sopInstanceUid: message.affectedSopInstanceUid,
          eventTypeId: message.eventTypeId,
          eventInformation: decoded(),
        }));
        const dataSet = encode(reply);
        return {
          message: {
            kind: 'N-EVENT-REPORT-RSP',
            affectedSopClassUid: message.affectedSopClassUid,
            affectedSopInstanceUid: message.affectedSopInstanceUid,
            // PS3.7 §10.1.1.1: Event Type ID accompanies an Event Reply, and some failures.
            ...(namesTypeId(reply.status) && { eventTypeId: message.eventTypeId }),
            hasDataSet: dataSet !== undefined,
            ...statusFields(reply),
          },
          ...(dataSet !== undefined && { dataSet }),
        };
      }
      case 'N-GET-RQ': {
        const reply = await answer(handlers.nGet, () => ({
          ...base,
          sopClassUid: message.requestedSopClassUid,
          sopInstanceUid: message.requestedSopInstanceUid,
          attributeIdentifierList: message.attributeIdentifierList ?? [],
        }));
        return nResponse('N-GET-RSP', message, reply, encode(reply));
      }
      case 'N-SET-RQ': {
        const reply = await answer(handlers.set, () => ({
          ...base,
          sopClassUid: message.requestedSopClassUid,
          sopInstanceUid: message.requestedSopInstanceUid,
          modificationList: decoded() ?? {},
        }));
        return nResponse('N-SET-RSP', message, reply, encode(reply));
      }
      case 'N-ACTION-RQ': {
        const reply = await answer(handlers.action, () => ({
          ...base,
          sopClassUid: message.requestedSopClassUid,
          sopInstanceUid: message.requestedSopInstanceUid,
          actionTypeId: message.actionTypeId,
          actionInformation: decoded(),
        }));
        const dataSet = encode(reply);
        return {
          message: {
            kind: 'N-ACTION-RSP',
            affectedSopClassUid: message.requestedSopClassUid,
            affectedSopInstanceUid: message.requestedSopInstanceUid,
            ...(namesTypeId(reply.status) && { actionTypeId: message.actionTypeId }),
            hasDataSet: dataSet !== undefined,
            ...statusFields(reply),
          },
          ...(dataSet !== undefined && { dataSet }),
        };
      }
      case 'N-CREATE-RQ': {
        const reply = await answer(handlers.create, () => ({
          ...base,
          sopClassUid: message.affectedSopClassUid,
          sopInstanceUid: message.affectedSopInstanceUid,
          attributeList: decoded(),
        }));
        const dataSet = encode(reply);
        const instance =
          message.affectedSopInstanceUid ??
          ('sopInstanceUid' in reply ? reply.sopInstanceUid : undefined);
        return {
          message: {
            kind: 'N-CREATE-RSP',
            affectedSopClassUid: message.affectedSopClassUid,
            // PS3.7 §10.1.5.1.4: with a successful status only.
            ...(instance !== undefined &&
              reply.status < 0x0100 && { affectedSopInstanceUid: instance }),
            hasDataSet: dataSet !== undefined,
            ...statusFields(reply),
          },
          ...(dataSet !== undefined && { dataSet }),
        };
      }
      case 'N-DELETE-RQ': {
        const reply = await answer(handlers.delete, () => ({
          ...base,
          sopClassUid: message.requestedSopClassUid,
          sopInstanceUid: message.requestedSopInstanceUid,
        }));
        return {
          message: {
            kind: 'N-DELETE-RSP',
            affectedSopClassUid: message.requestedSopClassUid,
            affectedSopInstanceUid: message.requestedSopInstanceUid,
            ...statusFields(reply),
          },
        };
      }
      case 'C-FIND-RQ': {
        if (handlers.find === undefined) return unsupported(message);
        const matches = handlers.find(queryRequest(base, message, decoded()));
        return { responses: findResponses(matches, message, encodeIdentifier, incoming.cancel) };
      }
      case 'C-GET-RQ': {
        if (handlers.get === undefined) return unsupported(message);
        const request = queryRequest(base, message, decoded());
        const answer = await handlers.get(request);
        const set = retrieveSetOf(answer);
        if (!('instances' in set)) return retrieveRefusal(message, set);
        return {
          responses: retrieveResponses(set, {
            kind: 'C-GET-RSP',
            affectedSopClassUid: message.affectedSopClassUid,
            // PS3.4 C.4.3: back on this association, at the C-GET's priority (C.4.3.1.2).
            store: (instance) => client.store(instance, { priority: request.priority }),
            encode: encodeIdentifier,
            cancel: incoming.cancel,
          }),
        };
      }
      case 'C-MOVE-RQ': {
        if (handlers.move === undefined) return unsupported(message);
        const destination = lookUpDestination(moveDestinations, message.moveDestination);
        if (destination === undefined) {
          // PS3.4 C.4.2.1.5: Refused: Move Destination unknown, before any search.
          return retrieveRefusal(message, {
            status: MOVE_DESTINATION_UNKNOWN,
            errorComment: `unknown move destination ${message.moveDestination}`,
          });
        }
        const request = queryRequest(base, message, decoded());
        const answer = await handlers.move({ ...request, destination: message.moveDestination });
        const set = retrieveSetOf(answer);
        if (!('instances' in set)) return retrieveRefusal(message, set);
        const sender = new MoveSender({
          destination,
          callingAeTitle: client.negotiated.calledAeTitle,
          calledAeTitle: message.moveDestination,
          originator: { aeTitle: client.negotiated.callingAeTitle, messageId: message.messageId },
          priority: request.priority,
        });
        return {
          responses: closingAfter(
            retrieveResponses(set, {
              kind: 'C-MOVE-RSP',
              affectedSopClassUid: message.affectedSopClassUid,
              store: (instance) => sender.store(instance),
              encode: encodeIdentifier,
              cancel: incoming.cancel,
            }),
            () => sender.close(),
          ),
        };
      }
    }
  };
  return (incoming) => {
    const message = incoming.message;
    if (message.kind === 'C-STORE-RQ') return answerStore(incoming, message);
    if (message.kind === 'C-ECHO-RQ') return answerEcho(incoming, message);
    return answerOther(incoming);
  };
}

/** What every handler's request carries about its association and message. */
function requestContext(incoming: IncomingRequest, client: DimseClient): RequestContext {
  return {
    association: client.negotiated,
    peer: client,
    presentationContextId: incoming.context.id,
    transferSyntaxUid: incoming.context.transferSyntax,
    signal: incoming.signal,
    messageId: incoming.message.messageId,
    responded: incoming.responded,
  };
}

async function answer<T, R extends StatusReply>(
  handler: ((request: T) => HandlerResult<R> | Promise<HandlerResult<R>>) | undefined,
  request: () => T,
): Promise<R | StatusReply> {
  if (handler === undefined) return { status: UNRECOGNIZED_OPERATION }; // C.5.23 has no companion fields
  return replyOf(await handler(request()));
}

function nResponse(
  kind: 'N-GET-RSP' | 'N-SET-RSP',
  message: Extract<DimseRequest, { requestedSopClassUid: string }>,
  reply: StatusReply,
  dataSet: Uint8Array | undefined,
): OutgoingResponse {
  return {
    message: {
      kind,
      affectedSopClassUid: message.requestedSopClassUid,
      affectedSopInstanceUid: message.requestedSopInstanceUid,
      hasDataSet: dataSet !== undefined,
      ...statusFields(reply),
    },
    ...(dataSet !== undefined && { dataSet }),
  };
}

function unsupported(message: DimseRequest): OutgoingResponse {
  // No handler for the operation: the SOP class is not supported (PS3.4 C.4.1.1.4).
  const kind = message.kind.replace(/-RQ$/, '-RSP') as 'C-FIND-RSP' | 'C-GET-RSP' | 'C-MOVE-RSP';
  return {
    message: {
      kind,
      status: SOP_CLASS_NOT_SUPPORTED,
      hasDataSet: false,
    } as OutgoingResponse['message'],
  };
}

async function* emptyStream(): AsyncGenerator<Uint8Array> {}

/** What C-FIND, C-GET and C-MOVE handlers share: SOP class, priority and the decoded Identifier. */
function queryRequest(
  base: RequestContext,
  message: CFindRq | CGetRq | CMoveRq,
  identifier: DataSet | undefined,
): CGetRequest {
  return {
    ...base,
    sopClassUid: message.affectedSopClassUid,
    priority: message.priority ?? Priority.Medium,
    identifier: identifier ?? {},
  };
}
