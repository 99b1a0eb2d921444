import type {
  AssociateRq,
  AsynchronousOperationsWindow,
  PresentationContextProposal,
  RoleSelection,
  SopClassCommonExtendedNegotiation,
  SopClassExtendedNegotiation,
  UserIdentityRequest,
} from '../codec/index.js';
import {
  APPLICATION_CONTEXT_NAME,
  DEFAULT_MAX_PDU_LENGTH,
  InvalidPduFieldError,
  MAX_PRESENTATION_CONTEXTS,
} from '../codec/index.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './implementation.js';

/** A presentation context to propose: one abstract syntax with its transfer syntaxes. */
export interface ProposedContext {
  /** SOP Class (or Meta SOP Class) UID. */
  readonly abstractSyntax: string;
  /** Transfer syntax UIDs, most preferred first (PS3.8 §9.3.2.2). */
  readonly transferSyntaxes: readonly string[];
  /**
   * Roles to propose for this abstract syntax through SCP/SCU Role Selection (PS3.7 D.3.3.4).
   * Leave out to use the defaults (we are SCU, the acceptor SCP) and send no item.
   */
  readonly roles?: { readonly scu: boolean; readonly scp: boolean };
}

/** What a requestor asks for in its A-ASSOCIATE-RQ (PS3.8 §7.1.1). */
export interface AssociationProposal {
  /** Our AE title, 1–16 characters. */
  readonly callingAeTitle: string;
  /** The peer's AE title, 1–16 characters. */
  readonly calledAeTitle: string;
  /** At most 128 contexts; each gets the next odd ID from 1 (PS3.8 §9.3.2.2). */
  readonly contexts: readonly ProposedContext[];
  /** Largest P-DATA-TF PDU-length we accept; default 16384, 0 = no limit (PS3.8 D.1). */
  readonly maxPduLength?: number;
  readonly implementationClassUid?: string;
  readonly implementationVersionName?: string;
  /** Omitted by default, which means synchronous operation (PS3.7 D.3.3.3). */
  readonly asynchronousOperationsWindow?: AsynchronousOperationsWindow;
  readonly extendedNegotiations?: readonly SopClassExtendedNegotiation[];
  readonly commonExtendedNegotiations?: readonly SopClassCommonExtendedNegotiation[];
  readonly userIdentity?: UserIdentityRequest;
}

/**
 * Builds the A-ASSOCIATE-RQ for a proposal: numbers the contexts 1, 3, 5… and turns the
 * per-context roles into one Role Selection item per abstract syntax.
 * @throws {@link InvalidPduFieldError} (`DICOMNET_PDU_INVALID_FIELD`) for more than 128 contexts,
 *   a context without transfer syntaxes, or conflicting roles for one abstract syntax.
 */
export function buildAssociateRq(proposal: AssociationProposal): AssociateRq {
  if (proposal.contexts.length === 0 || proposal.contexts.length > MAX_PRESENTATION_CONTEXTS) {
    throw new InvalidPduFieldError(
      `propose 1 to ${MAX_PRESENTATION_CONTEXTS} presentation contexts, not ${proposal.contexts.length}`,
    );
  }
  const presentationContexts = proposal.contexts.map(
    (context, index): PresentationContextProposal => {
      if (context.transferSyntaxes.length === 0) {
        throw new InvalidPduFieldError(
          `context for ${context.abstractSyntax} has no transfer syntax`,
        );
      }
      return {
        id: index * 2 + 1,
        abstractSyntax: context.abstractSyntax,
        transferSyntaxes: context.transferSyntaxes,
      };
    },
  );
  return {
    type: 'A-ASSOCIATE-RQ',
    protocolVersion: 1,
    calledAeTitle: proposal.calledAeTitle,
    callingAeTitle: proposal.callingAeTitle,
    applicationContextName: APPLICATION_CONTEXT_NAME,
    presentationContexts,
    userInformation: {
      maxPduLength: proposal.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH,
      implementationClassUid: proposal.implementationClassUid ?? IMPLEMENTATION_CLASS_UID,
      implementationVersionName: proposal.implementationVersionName ?? IMPLEMENTATION_VERSION_NAME,
      ...(proposal.asynchronousOperationsWindow && {
        asynchronousOperationsWindow: proposal.asynchronousOperationsWindow,
      }),
      roleSelections: roleSelections(proposal.contexts),
      sopClassExtendedNegotiations: proposal.extendedNegotiations ?? [],
      sopClassCommonExtendedNegotiations: proposal.commonExtendedNegotiations ?? [],
      ...(proposal.userIdentity && { userIdentityRequest: proposal.userIdentity }),
      unknownSubItems: [],
    },
  };
}

/** "At most one Role Selection item per SOP Class UID" (PS3.7 D.3.3.4). */
function roleSelections(contexts: readonly ProposedContext[]): RoleSelection[] {
  const items = new Map<string, RoleSelection>();
  for (const { abstractSyntax, roles } of contexts) {
    if (roles === undefined) continue;
    const earlier = items.get(abstractSyntax);
    if (earlier !== undefined && (earlier.scuRole !== roles.scu || earlier.scpRole !== roles.scp)) {
      throw new InvalidPduFieldError(`conflicting roles proposed for ${abstractSyntax}`);
    }
    items.set(abstractSyntax, {
      sopClassUid: abstractSyntax,
      scuRole: roles.scu,
      scpRole: roles.scp,
    });
  }
  return [...items.values()];
}
