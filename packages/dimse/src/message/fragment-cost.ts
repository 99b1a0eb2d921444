/**
 * What holding one received PDV fragment costs besides its bytes: the view object (a
 * `Uint8Array` onto the PDU) and its slot in a list. Measured at 106 bytes on Node 20.20 (V8
 * 11.3, 1,000,000 views, heap after GC); rounded up so that a limit stays a limit on other V8
 * builds. Every byte limit on retained fragments counts this per fragment, so a peer sending
 * empty or 1-byte PDVs reaches the limit as surely as one sending large ones.
 */
export const FRAGMENT_OVERHEAD_BYTES = 128;

/** The cost of retaining `fragment`: its bytes plus {@link FRAGMENT_OVERHEAD_BYTES}. */
export function fragmentCost(fragment: Uint8Array): number {
  return fragment.byteLength + FRAGMENT_OVERHEAD_BYTES;
}
