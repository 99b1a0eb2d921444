import type {
  AssociateAc,
  AssociateRq,
  AsynchronousOperationsWindow,
  RoleSelection,
  SopClassExtendedNegotiation,
  UserIdentityRequest,
  UserIdentityResponse,
} from '../codec/index.js';
import { PresentationContextResult } from '../codec/index.js';

/** Which side of the association this process is (PS3.8 §7.1). */
export type AssociationRole = 'requestor' | 'acceptor';

/** One presentation context as negotiated: what was proposed and what was answered. */
export interface NegotiatedContext {
  /** Presentation Context ID, odd, 1–255 (PS3.8 §9.3.2.2). */
  readonly id: number;
  readonly abstractSyntax: string;
  /** The transfer syntaxes the requestor proposed, in its order. */
  readonly proposedTransferSyntaxes: readonly string[];
  /** Result/reason of PS3.8 Table 9-18; 0 is acceptance. */
  readonly result: number;
  /** The accepted transfer syntax; `''` when the context was not accepted. */
  readonly transferSyntax: string;
  /** Whether this process may send requests on the context, i.e. act as its SCU (PS3.7 D.3.3.4). */
  readonly localIsScu: boolean;
  /** Whether this process may receive requests on the context, i.e. act as its SCP. */
  readonly localIsScp: boolean;
}

/**
 * Everything both sides agreed when the association was established, as one frozen object:
 * AE titles, maximum lengths, contexts with roles, and the negotiated user-information items.
 */
export interface NegotiatedAssociation {
  readonly role: AssociationRole;
  readonly callingAeTitle: string;
  readonly calledAeTitle: string;
  /** Largest P-DATA-TF PDU-length we accept; 0 = no limit (PS3.8 D.1). */
  readonly localMaxPduLength: number;
  /** Largest P-DATA-TF PDU-length the peer accepts; 0 = no limit (PS3.8 D.1). */
  readonly peerMaxPduLength: number;
  readonly peerImplementationClassUid: string;
  readonly peerImplementationVersionName: string | undefined;
  /**
   * The asynchronous operations window as answered in the A-ASSOCIATE-AC; `{1, 1}` when either
   * side left the item out (PS3.7 D.3.3.3).
   */
  readonly asynchronousOperationsWindow: AsynchronousOperationsWindow;
  /** Every proposed context with its answer, in proposal order. */
  readonly contexts: readonly NegotiatedContext[];
  /** SOP Class Extended Negotiation items as answered by the acceptor (PS3.7 D.3.3.5). */
  readonly extendedNegotiations: readonly SopClassExtendedNegotiation[];
  /** The requestor's user identity, if it sent one (PS3.7 D.3.3.7). */
  readonly userIdentity: UserIdentityRequest | undefined;
  /** The acceptor's positive user identity response, if it sent one. */
  readonly userIdentityResponse: UserIdentityResponse | undefined;
  /** The A-ASSOCIATE-RQ as decoded or sent, for anything not summarised above. */
  readonly request: AssociateRq;
  /** The A-ASSOCIATE-AC as decoded or sent. */
  readonly accept: AssociateAc;
}

const SYNCHRONOUS: AsynchronousOperationsWindow = {
  maxOperationsInvoked: 1,
  maxOperationsPerformed: 1,
};

/**
 * The requestor's roles on a context (PS3.7 D.3.3.4): a role it proposed and the acceptor echoed
 * as 1. Without a proposal, or when the acceptor returned no item, the defaults apply: the
 * requestor is SCU and the acceptor SCP.
 */
function requestorRoles(
  abstractSyntax: string,
  proposed: readonly RoleSelection[],
  answered: readonly RoleSelection[],
): { scu: boolean; scp: boolean } {
  const offer = proposed.find((item) => item.sopClassUid === abstractSyntax);
  const answer = answered.find((item) => item.sopClassUid === abstractSyntax);
  if (offer === undefined || answer === undefined) return { scu: true, scp: false };
  // "The requestor shall ignore a returned value for a role it did not propose" (D.3.3.4).
  return { scu: offer.scuRole && answer.scuRole, scp: offer.scpRole && answer.scpRole };
}

/** Combines an A-ASSOCIATE-RQ and its A-ASSOCIATE-AC into the view of one side. */
export function negotiatedAssociation(
  role: AssociationRole,
  request: AssociateRq,
  accept: AssociateAc,
): NegotiatedAssociation {
  const contexts = request.presentationContexts.map((proposal): NegotiatedContext => {
    const answer = accept.presentationContexts.find((item) => item.id === proposal.id);
    const accepted = answer !== undefined && answer.result === PresentationContextResult.Acceptance;
    const roles = requestorRoles(
      proposal.abstractSyntax,
      request.userInformation.roleSelections,
      accept.userInformation.roleSelections,
    );
    // Roles are complementary: the acceptor is SCP where the requestor is SCU and vice versa.
    const localIsScu = accepted && (role === 'requestor' ? roles.scu : roles.scp);
    const localIsScp = accepted && (role === 'requestor' ? roles.scp : roles.scu);
    return Object.freeze({
      id: proposal.id,
      abstractSyntax: proposal.abstractSyntax,
      proposedTransferSyntaxes: Object.freeze([...proposal.transferSyntaxes]),
      result: answer?.result ?? PresentationContextResult.NoReason,
      transferSyntax: accepted ? answer.transferSyntax : '',
      localIsScu,
      localIsScp,
    });
  });
  const [localInfo, peerInfo] =
    role === 'requestor'
      ? [request.userInformation, accept.userInformation]
      : [accept.userInformation, request.userInformation];
  return Object.freeze({
    role,
    callingAeTitle: request.callingAeTitle,
    calledAeTitle: request.calledAeTitle,
    localMaxPduLength: localInfo.maxPduLength ?? 0,
    // PS3.8 D.1 makes the item mandatory; a peer that omits it gets our conservative default.
    peerMaxPduLength: peerInfo.maxPduLength ?? MISSING_MAX_LENGTH_FALLBACK,
    peerImplementationClassUid: peerInfo.implementationClassUid ?? '',
    peerImplementationVersionName: peerInfo.implementationVersionName,
    asynchronousOperationsWindow:
      request.userInformation.asynchronousOperationsWindow !== undefined
        ? (accept.userInformation.asynchronousOperationsWindow ?? SYNCHRONOUS)
        : SYNCHRONOUS,
    contexts: Object.freeze(contexts),
    extendedNegotiations: Object.freeze([...accept.userInformation.sopClassExtendedNegotiations]),
    userIdentity: request.userInformation.userIdentityRequest,
    userIdentityResponse: accept.userInformation.userIdentityResponse,
    request,
    accept,
  });
}

/** PDU-length we send to a peer that did not announce its maximum (upper-layer digest §3.5). */
export const MISSING_MAX_LENGTH_FALLBACK = 16384;

/**
 * The first accepted context for an abstract syntax on which this process may act in `role`,
 * preferring `transferSyntax` when given.
 */
export function findContext(
  association: NegotiatedAssociation,
  abstractSyntax: string,
  options: { readonly transferSyntax?: string; readonly as?: 'scu' | 'scp' } = {},
): NegotiatedContext | undefined {
  const as = options.as ?? 'scu';
  const usable = association.contexts.filter(
    (context) =>
      context.abstractSyntax === abstractSyntax &&
      (as === 'scu' ? context.localIsScu : context.localIsScp),
  );
  if (options.transferSyntax === undefined) return usable[0];
  return usable.find((context) => context.transferSyntax === options.transferSyntax);
}
