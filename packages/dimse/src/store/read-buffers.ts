import type { StoreInstance } from '../client/dimse-client.js';
import type { InstanceFile } from './instance-file.js';

/** Bytes of each reused read buffer: it holds a data set of less than this. */
export const READ_BUFFER_BYTES = 64 * 1024;

/** An instance ready to send, and the reused buffer its data set is in, if any. */
export interface Prepared {
  readonly instance: StoreInstance;
  readonly buffer?: Uint8Array;
}

/** An instance whose data set is in memory of its own (or streams from disk). */
export function unbuffered(instance: StoreInstance): Prepared {
  return { instance };
}

/**
 * The reused read buffers of one `storeFiles` call, made as needed up to `max`. With all of
 * them still on the wire a file is read into an array of its own.
 */
export class ReadBuffers {
  readonly #free: Uint8Array[] = [];
  #made = 0;
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** Reads `file`'s data set into a free buffer, or into an array of its own. Never rejects. */
  read(
    file: InstanceFile,
    readDataSetSync: (target: Uint8Array) => Uint8Array,
  ):
    | { readonly ok: true; readonly value: Prepared }
    | { readonly ok: false; readonly error: unknown } {
    const buffer = this.#take();
    const identity = {
      sopClassUid: file.sopClassUid,
      sopInstanceUid: file.sopInstanceUid,
      transferSyntaxUid: file.transferSyntaxUid,
    };
    try {
      const dataSet = readDataSetSync(buffer ?? new Uint8Array(file.size + 1));
      return { ok: true, value: { instance: { ...identity, dataSet }, ...(buffer && { buffer }) } };
    } catch (error) {
      if (buffer !== undefined) this.give(buffer);
      return { ok: false, error };
    }
  }

  /** Takes a buffer back: the socket is done with the request that used it. */
  give(buffer: Uint8Array): void {
    this.#free.push(buffer);
  }

  #take(): Uint8Array | undefined {
    const free = this.#free.pop();
    if (free !== undefined || this.#made === this.#max) return free;
    this.#made++;
    return new Uint8Array(READ_BUFFER_BYTES);
  }
}
