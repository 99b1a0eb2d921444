import type { AssociateRj, AssociateRq } from '../codec/index.js';
import { RejectReason, RejectResult, RejectSource } from '../codec/index.js';
import { isValidAeTitle } from '../codec/ae-title.js';

function reject(source: number, reason: number): AssociateRj {
  return { type: 'A-ASSOCIATE-RJ', result: RejectResult.Permanent, source, reason };
}

/**
 * The checks an acceptor makes on an A-ASSOCIATE-RQ before any user policy sees it (the
 * provider's part of AE-6, PS3.8 Table 9-7), in this order:
 *
 * - protocol version bit 0 clear: 1/2/2. "A receiver of this PDU implementing only this version
 *   shall only test that bit 0 is set" (PS3.8 Table 9-11).
 * - a Called AE Title that is not a valid AE value (PS3.5 6.2): 1/1/7 called-AE-title-not-recognized.
 * - a Calling AE Title that is not a valid AE value: 1/1/3 calling-AE-title-not-recognized
 *   (PS3.8 Table 9-21).
 *
 * A title that cannot be written back cannot be recognized: rejecting it here means no policy, no
 * log and no encoder (the A-ASSOCIATE-AC echoes both titles, PS3.8 Table 9-17) ever sees it.
 * @returns The A-ASSOCIATE-RJ to send, or undefined when the request passes.
 */
export function checkAssociateRq(request: AssociateRq): AssociateRj | undefined {
  if ((request.protocolVersion & 1) === 0) {
    return reject(RejectSource.ServiceProviderAcse, RejectReason.ProtocolVersionNotSupported);
  }
  if (!isValidAeTitle(request.calledAeTitle)) {
    return reject(RejectSource.ServiceUser, RejectReason.CalledAeTitleNotRecognized);
  }
  if (!isValidAeTitle(request.callingAeTitle)) {
    return reject(RejectSource.ServiceUser, RejectReason.CallingAeTitleNotRecognized);
  }
  return undefined;
}
