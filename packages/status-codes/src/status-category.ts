/** The five classes a DIMSE status falls into (PS3.7 Annex C). */
export type StatusCategory = 'Success' | 'Warning' | 'Failure' | 'Cancel' | 'Pending';

/**
 * The category of any 16-bit DIMSE status, including codes no table lists, from the status
 * class convention of PS3.7 Annex C: 0000H success (C.1); FF00H/FF01H pending (C.2); FE00H
 * cancel (C.3); 0001H, 0107H, 0116H and Bxxx warning (C.4); Axxx, Cxxx, 01xx and 02xx failure
 * (C.5). The standard puts no other value in any class and forbids sending one
 * ({@link isInStatusClass} tells them apart); a receiver cannot treat such a value as success,
 * so this function reports it as Failure too.
 * @throws RangeError if `code` is not an integer in 0..0xFFFF.
 */
export function statusCategory(code: number): StatusCategory {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff) {
    throw new RangeError(`not a 16-bit status code: ${code}`);
  }
  if (code === 0x0000) return 'Success';
  if (code === 0xff00 || code === 0xff01) return 'Pending';
  if (code === 0xfe00) return 'Cancel';
  if (code === 0x0001 || code === 0x0107 || code === 0x0116) return 'Warning';
  if (code >= 0xb000 && code <= 0xbfff) return 'Warning';
  return 'Failure';
}

/**
 * True when `code` belongs to one of the status classes of PS3.7 Annex C: 0000, 0001, 01xx,
 * 02xx, Axxx, Bxxx, Cxxx, FE00, FF00 or FF01. The standard says implementations shall not use
 * any other value, so an SCP can check its own responses with this.
 * @throws RangeError if `code` is not an integer in 0..0xFFFF.
 */
export function isInStatusClass(code: number): boolean {
  statusCategory(code); // validates the range
  const high = code >> 8;
  return (
    code <= 0x0001 ||
    high === 0x01 ||
    high === 0x02 ||
    (code >= 0xa000 && code <= 0xcfff) ||
    code === 0xfe00 ||
    code === 0xff00 ||
    code === 0xff01
  );
}
