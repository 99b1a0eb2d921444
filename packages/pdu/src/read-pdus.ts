import type { RawPdu } from './codec/pdu.js';
import { PduReader, type PduReaderOptions } from './pdu-reader.js';

/**
 * Reads whole PDUs from a byte stream (a socket, or any async iterable of chunks) with a
 * {@link PduReader}. Ends when the source ends.
 * @param source - The chunks, in order.
 * @param options - Reader limits.
 * @throws {@link PduTruncatedError} if the source ends inside a PDU, and the header errors of
 *   {@link PduReader.push}; errors of the source pass through.
 */
export async function* readPdus(
  source: AsyncIterable<Uint8Array>,
  options: PduReaderOptions = {},
): AsyncGenerator<RawPdu, void, undefined> {
  const reader = new PduReader(options);
  for await (const chunk of source) yield* reader.push(chunk);
  reader.end();
}
