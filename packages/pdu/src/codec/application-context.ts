import { ItemType } from './item-type.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { writeItem } from './item.js';
import { readUid, writeUid } from './uid.js';

/**
 * The DICOM Application Context Name, the only one the standard defines (PS3.7 A.2.1). Sent in
 * the Application Context item (10H) of every A-ASSOCIATE-RQ and AC (PS3.8 9.3.2.1).
 */
export const APPLICATION_CONTEXT_NAME = '1.2.840.10008.3.1.1.1';

/** Writes the Application Context item: 10H, reserved, item-length, name (PS3.8 Table 9-12). */
export function writeApplicationContext(writer: ByteWriter, name: string): void {
  writeItem(writer, ItemType.ApplicationContext, 'applicationContextName', () => {
    writeUid(writer, 'applicationContextName', name);
  });
}

/** Reads the body of an Application Context item: the whole body is the name (a UID). */
export function readApplicationContext(body: ByteReader): string {
  return readUid(body, body.remaining);
}
