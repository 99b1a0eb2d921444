import type {
  AssociateAc,
  AssociateRj,
  AssociateRq,
  PresentationContextAnswer,
  RoleSelection,
  SopClassExtendedNegotiation,
  UserIdentityRequest,
} from '../codec/index.js';
import {
  APPLICATION_CONTEXT_NAME,
  DEFAULT_MAX_PDU_LENGTH,
  PresentationContextResult,
  RejectReason,
  RejectResult,
  RejectSource,
} from '../codec/index.js';
import { isValidUid } from '../codec/uid.js';
import { checkAssociateRq } from './provider-checks.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './implementation.js';

/** An abstract syntax the acceptor supports, with the transfer syntaxes it takes. */
export interface SupportedContext {
  /** A SOP Class UID, or a predicate for families such as "every Storage SOP Class". */
  readonly abstractSyntax: string | ((uid: string) => boolean);
  /** Transfer syntaxes we accept, most preferred first: the first one also proposed wins. */
  readonly transferSyntaxes: readonly string[];
  /**
   * Which roles the requestor may take when it asks through Role Selection (PS3.7 D.3.3.4).
   * Default `{ scu: true, scp: false }`: the requestor is SCU, we are SCP.
   */
  readonly requestorRoles?: { readonly scu: boolean; readonly scp: boolean };
}

/** The answer to a user identity (PS3.7 D.3.3.7): refuse, accept, or accept with a response. */
export type IdentityVerdict = boolean | { readonly serverResponse: Uint8Array };

/** How an acceptor answers an A-ASSOCIATE-RQ (PS3.8 §7.1.2). */
export interface AcceptorPolicy {
  /** Called AE titles we answer to; any when absent. Others are rejected 1/1/7. */
  readonly calledAeTitles?: readonly string[];
  /** Calling AE titles we accept; any when absent. Others are rejected 1/1/3. */
  readonly callingAeTitles?: readonly string[] | ((callingAeTitle: string) => boolean);
  readonly contexts: readonly SupportedContext[];
  /** Largest P-DATA-TF PDU-length we accept; default 16384, 0 = no limit (PS3.8 D.1). */
  readonly maxPduLength?: number;
  readonly implementationClassUid?: string;
  readonly implementationVersionName?: string;
  /**
   * Most operations we let the requestor invoke and perform at once (PS3.7 D.3.3.3); we answer
   * min(asked, this). Default 1 (synchronous).
   */
  readonly maxOperationsInvoked?: number;
  readonly maxOperationsPerformed?: number;
  /**
   * Requires a User Identity sub-item (PS3.7 D.3.3.7.1) in every A-ASSOCIATE-RQ; a request
   * without one is rejected 1/1/1 (permanent, service-user, no-reason-given). Default false.
   * Needs {@link AcceptorPolicy.authenticate}: without it no identity can be verified, so every
   * request is rejected 1/1/1 (fail closed) rather than any identity accepted unchecked.
   */
  readonly requireUserIdentity?: boolean;
  /**
   * Checks a user identity; `false` rejects the association 1/1/1 (PS3.15 B.6 leaves the reason
   * to us). Without it identities are accepted without a response, unless
   * {@link AcceptorPolicy.requireUserIdentity} is set.
   */
  readonly authenticate?: (
    identity: UserIdentityRequest,
    request: AssociateRq,
  ) => IdentityVerdict | Promise<IdentityVerdict>;
  /**
   * Answers a SOP Class Extended Negotiation item; `undefined` leaves it unanswered (PS3.7
   * D.3.3.5). Asked only for the first item of each SOP class that is an accepted context's
   * abstract syntax; other items are left unanswered.
   */
  readonly extendedNegotiation?: (item: SopClassExtendedNegotiation) => Uint8Array | undefined;
}

/** The outcome of applying a policy to an A-ASSOCIATE-RQ. */
export type AcceptorDecision =
  | { readonly kind: 'accept'; readonly pdu: AssociateAc }
  | { readonly kind: 'reject'; readonly pdu: AssociateRj };

function reject(result: number, source: number, reason: number): AcceptorDecision {
  return { kind: 'reject', pdu: { type: 'A-ASSOCIATE-RJ', result, source, reason } };
}

/**
 * Answers an A-ASSOCIATE-RQ. Checks, in order: the provider's checks of {@link checkAssociateRq}
 * (protocol version bit 0, 1/2/2; AE titles that are not valid AE values, 1/1/7 and 1/1/3),
 * application context (1/1/2), called AE title (1/1/7), calling AE title (1/1/3), user identity
 * (1/1/1: a missing one when required, or one refused);
 * then answers each presentation context (PS3.8 Table 9-18): abstract syntax not supported (3),
 * transfer syntaxes not supported (4), user rejection (1) when no usable role remains.
 */
export async function decideAssociation(
  request: AssociateRq,
  policy: AcceptorPolicy,
): Promise<AcceptorDecision> {
  const refused = checkAssociateRq(request);
  if (refused !== undefined) return { kind: 'reject', pdu: refused };
  if (request.applicationContextName !== APPLICATION_CONTEXT_NAME) {
    return reject(
      RejectResult.Permanent,
      RejectSource.ServiceUser,
      RejectReason.ApplicationContextNameNotSupported,
    );
  }
  if (
    policy.calledAeTitles !== undefined &&
    !policy.calledAeTitles.includes(request.calledAeTitle)
  ) {
    return reject(
      RejectResult.Permanent,
      RejectSource.ServiceUser,
      RejectReason.CalledAeTitleNotRecognized,
    );
  }
  if (!callingAllowed(policy.callingAeTitles, request.callingAeTitle)) {
    return reject(
      RejectResult.Permanent,
      RejectSource.ServiceUser,
      RejectReason.CallingAeTitleNotRecognized,
    );
  }
  const identity = request.userInformation.userIdentityRequest;
  // PS3.7 D.3.3.7 and PS3.15 B.6 define no reject reason for a missing or refused identity; of
  // the service-user reasons of PS3.8 Table 9-21 only 1 (no-reason-given) fits, and it tells an
  // unauthenticated peer nothing about which check failed. Permanent: retrying cannot help.
  if (policy.requireUserIdentity === true) {
    if (identity === undefined || policy.authenticate === undefined) {
      return reject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.NoReasonGiven);
    }
  }
  let verdict: IdentityVerdict | undefined;
  if (identity !== undefined && policy.authenticate !== undefined) {
    verdict = await policy.authenticate(identity, request);
    if (verdict === false) {
      return reject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.NoReasonGiven);
    }
  }
  return { kind: 'accept', pdu: acceptPdu(request, policy, identity, verdict) };
}

function callingAllowed(rule: AcceptorPolicy['callingAeTitles'], callingAeTitle: string): boolean {
  if (rule === undefined) return true;
  return typeof rule === 'function' ? rule(callingAeTitle) : rule.includes(callingAeTitle);
}

function acceptPdu(
  request: AssociateRq,
  policy: AcceptorPolicy,
  identity: UserIdentityRequest | undefined,
  verdict: IdentityVerdict | undefined,
): AssociateAc {
  const info = request.userInformation;
  const roleAnswers: RoleSelection[] = [];
  const presentationContexts = request.presentationContexts.map(
    (proposal): PresentationContextAnswer => {
      // A malformed UID names no SOP class we support, whatever a predicate would say; and an
      // accepted context's UID is echoed in its Role Selection answer (PS3.7 D.3.3.4).
      const supported = isValidUid(proposal.abstractSyntax)
        ? policy.contexts.find((context) =>
            matches(context.abstractSyntax, proposal.abstractSyntax),
          )
        : undefined;
      if (supported === undefined) {
        return {
          id: proposal.id,
          result: PresentationContextResult.AbstractSyntaxNotSupported,
          transferSyntax: '',
        };
      }
      const transferSyntax = supported.transferSyntaxes.find((uid) =>
        proposal.transferSyntaxes.includes(uid),
      );
      if (transferSyntax === undefined) {
        return {
          id: proposal.id,
          result: PresentationContextResult.TransferSyntaxesNotSupported,
          transferSyntax: '',
        };
      }
      const offer = info.roleSelections.find(
        (item) => item.sopClassUid === proposal.abstractSyntax,
      );
      if (offer !== undefined) {
        const allowed = supported.requestorRoles ?? { scu: true, scp: false };
        // Never answer 1 for a role the requestor did not propose (PS3.7 D.3.3.4).
        const answer = {
          sopClassUid: offer.sopClassUid,
          scuRole: offer.scuRole && allowed.scu,
          scpRole: offer.scpRole && allowed.scp,
        };
        if (!roleAnswers.some((item) => item.sopClassUid === answer.sopClassUid))
          roleAnswers.push(answer);
        if (!answer.scuRole && !answer.scpRole) {
          return {
            id: proposal.id,
            result: PresentationContextResult.UserRejection,
            transferSyntax: '',
          };
        }
      }
      return { id: proposal.id, result: PresentationContextResult.Acceptance, transferSyntax };
    },
  );
  const extendedNegotiations = answerExtendedNegotiations(
    info.sopClassExtendedNegotiations,
    request,
    presentationContexts,
    policy,
  );
  const window = info.asynchronousOperationsWindow;
  return {
    type: 'A-ASSOCIATE-AC',
    protocolVersion: 1,
    calledAeTitle: request.calledAeTitle,
    callingAeTitle: request.callingAeTitle,
    applicationContextName: APPLICATION_CONTEXT_NAME,
    presentationContexts,
    userInformation: {
      maxPduLength: policy.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH,
      implementationClassUid: policy.implementationClassUid ?? IMPLEMENTATION_CLASS_UID,
      implementationVersionName: policy.implementationVersionName ?? IMPLEMENTATION_VERSION_NAME,
      // Absent from the RQ means absent from the AC (PS3.7 D.3.3.3).
      ...(window && {
        asynchronousOperationsWindow: {
          maxOperationsInvoked: grant(
            window.maxOperationsInvoked,
            policy.maxOperationsInvoked ?? 1,
          ),
          maxOperationsPerformed: grant(
            window.maxOperationsPerformed,
            policy.maxOperationsPerformed ?? 1,
          ),
        },
      }),
      roleSelections: roleAnswers,
      sopClassExtendedNegotiations: extendedNegotiations,
      sopClassCommonExtendedNegotiations: [],
      // A response only when one was asked for and the identity was verified (D.3.3.7.2).
      ...(identity?.positiveResponseRequested === true &&
        verdict !== undefined && {
          userIdentityResponse: {
            serverResponse:
              typeof verdict === 'object' ? verdict.serverResponse : new Uint8Array(0),
          },
        }),
      unknownSubItems: [],
    },
  };
}

/**
 * Asks the policy about the SOP Class Extended Negotiation items (PS3.7 D.3.3.5) whose SOP class
 * is the abstract syntax of an accepted context, once per SOP class. The answer echoes the UID:
 * bounding the answers by the accepted contexts (at most 128) keeps a peer's thousands of items
 * from growing the A-ASSOCIATE-AC past what its 16-bit item-length can hold.
 */
function answerExtendedNegotiations(
  items: readonly SopClassExtendedNegotiation[],
  request: AssociateRq,
  answers: readonly PresentationContextAnswer[],
  policy: AcceptorPolicy,
): SopClassExtendedNegotiation[] {
  const ask = policy.extendedNegotiation;
  if (ask === undefined) return [];
  const accepted = new Set(
    request.presentationContexts
      .filter((proposal) =>
        answers.some(
          (answer) =>
            answer.id === proposal.id && answer.result === PresentationContextResult.Acceptance,
        ),
      )
      .map((proposal) => proposal.abstractSyntax),
  );
  const answered: SopClassExtendedNegotiation[] = [];
  for (const item of items) {
    if (!accepted.has(item.sopClassUid)) continue;
    accepted.delete(item.sopClassUid);
    const answer = ask(item);
    if (answer !== undefined) {
      answered.push({ sopClassUid: item.sopClassUid, applicationInformation: answer });
    }
  }
  return answered;
}

function matches(rule: SupportedContext['abstractSyntax'], uid: string): boolean {
  return typeof rule === 'function' ? rule(uid) : rule === uid;
}

/** The acceptor may grant at most what was asked; 0 means unlimited on either side (D.3.3.3). */
function grant(asked: number, limit: number): number {
  if (asked === 0) return limit;
  if (limit === 0) return asked;
  return Math.min(asked, limit);
}
