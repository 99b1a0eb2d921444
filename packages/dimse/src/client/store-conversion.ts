// The transfer syntaxes a C-STORE falls back to when the peer did not accept an instance's own.
import { canTranscode } from '@dicomnet/data';

/**
 * In order of preference: Explicit VR Little Endian keeps the VRs; Implicit VR Little Endian is
 * the default transfer syntax every application entity supports (PS3.5 §10.1).
 */
const TARGETS = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'] as const;

/**
 * The syntaxes an instance encoded in `transferSyntaxUid` can be sent in instead, converted by
 * `transcodeDataSet` of `@dicomnet/data`: none for an encapsulated (compressed) syntax.
 */
export function conversionTargets(transferSyntaxUid: string): string[] {
  return TARGETS.filter(
    (target) => target !== transferSyntaxUid && canTranscode(transferSyntaxUid, target),
  );
}
