// Just enough DIMSE, written by hand for the Upper Layer's interop tests (the real codec lives in
// @dicomnet/dimse, above this package): Implicit VR Little Endian group-0000 elements.

function element(tag: number, value: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0x0000, 0);
  header.writeUInt16LE(tag, 2);
  header.writeUInt32LE(value.length, 4);
  return Buffer.concat([header, value]);
}

function uid(text: string): Buffer {
  return Buffer.from(text.length % 2 === 0 ? text : `${text}\0`, 'latin1');
}

function us(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(value);
  return bytes;
}

function command(elements: Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length);
  return Buffer.concat([element(0x0000, length), body]);
}

/** C-ECHO-RQ (PS3.7 Table 9.3-12). */
export function echoRq(messageId: number): Buffer {
  return command([
    element(0x0002, uid('1.2.840.10008.1.1')),
    element(0x0100, us(0x0030)),
    element(0x0110, us(messageId)),
    element(0x0800, us(0x0101)),
  ]);
}

/** C-ECHO-RSP, Success (PS3.7 Table 9.3-13). */
export function echoRsp(respondingTo: number): Buffer {
  return command([
    element(0x0002, uid('1.2.840.10008.1.1')),
    element(0x0100, us(0x8030)),
    element(0x0120, us(respondingTo)),
    element(0x0800, us(0x0101)),
    element(0x0900, us(0x0000)),
  ]);
}

/** C-STORE-RQ with a data set (PS3.7 Table 9.3-1). */
export function storeRq(messageId: number, sopClassUid: string, sopInstanceUid: string): Buffer {
  return command([
    element(0x0002, uid(sopClassUid)),
    element(0x0100, us(0x0001)),
    element(0x0110, us(messageId)),
    element(0x0700, us(0x0000)),
    element(0x0800, us(0x0000)),
    element(0x1000, uid(sopInstanceUid)),
  ]);
}

/** The US values of a command set by element number (0x0100 command field, 0x0900 status…). */
export function readUsValues(bytes: Uint8Array): Map<number, number> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Map<number, number>();
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const tag = buffer.readUInt16LE(offset + 2);
    const length = buffer.readUInt32LE(offset + 4);
    if (length === 2) values.set(tag, buffer.readUInt16LE(offset + 8));
    offset += 8 + length;
  }
  return values;
}

/** The data set of a Part 10 file: what follows the preamble, "DICM" and group 0002 (PS3.10 §7.1). */
export function dataSetOf(file: Buffer): Buffer {
  // (0002,0000) UL in Explicit VR LE: tag 4, VR 2, length 2, value 4 at offset 132.
  const groupLength = file.readUInt32LE(132 + 8);
  return file.subarray(132 + 12 + groupLength);
}
