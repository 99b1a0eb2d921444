import type { AssociateAc, AssociateRq } from '../codec/index.js';
import { PresentationContextResult } from '../codec/index.js';
import { AssociateAcMismatchError } from '../association-errors.js';

/**
 * What a requestor checks in the A-ASSOCIATE-AC against its own A-ASSOCIATE-RQ: every answer is
 * for a context ID we proposed (PS3.8 7.1.1.13), and an accepted context names one of the
 * transfer syntaxes we proposed for it (PS3.8 7.1.1.14; PS3.7 D.3.2: "only one shall be
 * accepted" of those offered). The transfer syntax of a rejected context is not tested (PS3.8
 * Table 9-18), nor are the AE title fields, which are reserved echoes (Table 9-17).
 * @returns The first mismatch, or undefined when the AC fits the RQ.
 */
export function checkAssociateAc(
  request: AssociateRq,
  accept: AssociateAc,
): AssociateAcMismatchError | undefined {
  for (const answer of accept.presentationContexts) {
    const proposal = request.presentationContexts.find((context) => context.id === answer.id);
    if (proposal === undefined) {
      return new AssociateAcMismatchError(answer.id, 'no context with this ID was proposed');
    }
    if (
      answer.result === PresentationContextResult.Acceptance &&
      !proposal.transferSyntaxes.includes(answer.transferSyntax)
    ) {
      return new AssociateAcMismatchError(
        answer.id,
        `accepted with transfer syntax ${answer.transferSyntax}, which was not proposed`,
      );
    }
  }
  return undefined;
}
