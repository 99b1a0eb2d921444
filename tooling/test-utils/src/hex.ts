/**
 * Parses hex written for humans: whitespace, `|` separators and `#` comments to end of line are
 * ignored, so fixtures can be laid out field by field.
 */
export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/#[^\n]*/g, '').replace(/[\s|]/g, '');
  if (digits.length % 2 !== 0 || /[^0-9a-fA-F]/.test(digits)) {
    throw new Error(`not an even run of hex digits: ${digits.slice(0, 40)}`);
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Lower-case hex, no separators: the form assertions compare. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** ASCII text as bytes, padded with `pad` up to `length` (for AE titles and UIDs in fixtures). */
export function asciiHex(text: string, length = text.length, pad = 0x20): string {
  const bytes = Buffer.alloc(length, pad);
  bytes.write(text, 'latin1');
  return bytes.toString('hex');
}

/** Concatenates byte arrays (test input only; production code never concatenates payloads). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Every way of cutting `bytes` into two chunks, plus one chunk per byte: a parser must give the
 * same result for each.
 */
export function* splits(bytes: Uint8Array): Generator<Uint8Array[]> {
  for (let cut = 0; cut <= bytes.length; cut++) yield [bytes.subarray(0, cut), bytes.subarray(cut)];
  yield Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
}
