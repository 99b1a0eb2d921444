/**
 * Reverses the byte order of each `size`-byte word of `bytes`, in place (PS3.5 7.3: OW, OF, OD,
 * OL and OV are encoded word by word in the transfer syntax's byte order).
 */
export function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  for (let start = 0; start + size <= bytes.length; start += size) {
    for (let low = start, high = start + size - 1; low < high; low++, high--) {
      const byte = bytes[low] as number; // in bounds: low < high < start + size <= length
      bytes[low] = bytes[high] as number;
      bytes[high] = byte;
    }
  }
  return bytes;
}
