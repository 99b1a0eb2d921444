import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

/**
 * Writes one item or sub-item: item-type (1), reserved 00H (1), item-length (2, filled in after
 * the body), body (PS3.8 9.3.2–9.3.3; PS3.7 D.3.3). `writeBody` writes the bytes after the length.
 * @throws {@link InvalidPduFieldError} if the body exceeds 65535 bytes.
 */
export function writeItem(
  writer: ByteWriter,
  itemType: number,
  field: string,
  writeBody: () => void,
): void {
  writer.uint8(itemType);
  writer.uint8(0);
  const lengthPosition = writer.reserveUint16();
  writeBody();
  writer.fillUint16Length(lengthPosition, field);
}

/** One item found by {@link readItems}. */
export interface ItemFound {
  /** Its item-type byte. */
  readonly itemType: number;
  /** Offset of its first byte from the first byte of the PDU. */
  readonly offset: number;
  /** A reader over its body (the bytes after item-length). */
  readonly body: ByteReader;
}

/**
 * Cuts `reader` into items until its end. The reserved byte is skipped, never tested. An item
 * whose length overruns the parent, or a header cut short, throws {@link MalformedPduError}.
 */
export function* readItems(reader: ByteReader): Generator<ItemFound> {
  while (!reader.isAtEnd) {
    const offset = reader.offset;
    const itemType = reader.uint8();
    reader.skip(1);
    const length = reader.uint16be();
    const body = reader.sub(length, `item 0x${itemType.toString(16)}`);
    yield { itemType, offset, body };
  }
}
