/**
 * A fresh ArrayBuffer holding exactly the bytes of `bytes` (defect 1 of dcmjs-notes.md: dcmjs
 * ignores a view's byteOffset; and `Buffer#slice` does not copy, so it cannot be used for this).
 */
export function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
