import { DicomnetError } from '@dicomnet/pdu';
import { FRAGMENT_OVERHEAD_BYTES } from '../message/fragment-cost.js';
import { readDataSetUids } from '@dicomnet/data';
import type { StatusReply } from '../services/results.js';

/**
 * Most of a data set's start held while looking for its SOP UIDs: 1 MiB, counting
 * `FRAGMENT_OVERHEAD_BYTES` per fragment.
 */
export const MAX_UID_PREFIX_BYTES = 1 << 20;

/** A streamed data set whose start has been read and checked. */
export interface CheckedDataSet {
  /** The fragments already read, to be written first. */
  readonly fragments: Uint8Array[];
  /** Their bytes. */
  bytes: number;
  /** The rest of the data set, from the same stream. */
  readonly iterator: AsyncIterator<Uint8Array>;
  /** True once the stream has ended: `fragments` are all of the data set. */
  ended: boolean;
}

/** What a C-STORE says its data set is. */
export interface CommandUids {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
}

/**
 * Reads the start of a C-STORE data set until its SOP Class UID (0008,0016) and SOP Instance UID
 * (0008,0018) are known and checks them against the command's (0000,0002) and (0000,1000).
 * Returns the data set to store, or the status to refuse it with, before anything is written:
 * 0xA900 Error: Data Set does not match SOP Class for different UIDs (PS3.4 B.2.3, Table
 * B.2-1, as storescp answers), 0xC000 Error: Cannot understand when the data set has no such
 * UIDs or is malformed before them. At most {@link MAX_UID_PREFIX_BYTES} are held.
 */
export async function checkDataSetUids(
  dataSet: AsyncIterable<Uint8Array>,
  command: CommandUids,
): Promise<CheckedDataSet | StatusReply> {
  const iterator = dataSet[Symbol.asyncIterator]();
  const prefix: Uint8Array[] = [];
  let bytes = 0;
  let held = 0; // bytes plus the overhead of each fragment held
  let parsedAt = 0;
  let ended = false;
  let found: ReturnType<typeof readDataSetUids> = { complete: false };
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
    } else {
      prefix.push(next.value);
      bytes += next.value.byteLength;
      held += next.value.byteLength + FRAGMENT_OVERHEAD_BYTES;
    }
    // Parse again only once the prefix has doubled: tiny fragments cost linear time, not
    // quadratic (each parse joins and walks the whole prefix).
    if (!ended && held < MAX_UID_PREFIX_BYTES && held < 2 * parsedAt) continue;
    parsedAt = held;
    const start = prefix.length === 1 ? (prefix[0] as Uint8Array) : Buffer.concat(prefix);
    try {
      found = readDataSetUids(start, command.transferSyntaxUid);
    } catch (error) {
      if (!DicomnetError.isInstance(error)) throw error;
      return refuse(iterator, 0xc000, `data set unreadable: ${error.message}`);
    }
    if (found.complete || ended || held >= MAX_UID_PREFIX_BYTES) break;
  }
  const { sopClassUid, sopInstanceUid } = found;
  if (sopClassUid === undefined || sopInstanceUid === undefined) {
    return refuse(iterator, 0xc000, 'data set without SOP Class UID and SOP Instance UID');
  }
  if (sopClassUid !== command.sopClassUid) {
    return refuse(iterator, 0xa900, `data set SOP Class UID is ${sopClassUid}`);
  }
  if (sopInstanceUid !== command.sopInstanceUid) {
    return refuse(iterator, 0xa900, `data set SOP Instance UID is ${sopInstanceUid}`);
  }
  return { fragments: prefix, bytes, iterator, ended };
}

/** Reads on until the data set has ended or `limit` bytes of it are held. */
export async function readUpTo(data: CheckedDataSet, limit: number): Promise<void> {
  while (!data.ended && data.bytes < limit) {
    const next = await data.iterator.next();
    if (next.done === true) {
      data.ended = true;
    } else {
      data.fragments.push(next.value);
      data.bytes += next.value.byteLength;
    }
  }
}

/** Stops reading (the rest of the data set is received and dropped) and gives the status. */
async function refuse(
  iterator: AsyncIterator<Uint8Array>,
  status: number,
  errorComment: string,
): Promise<StatusReply> {
  await iterator.return?.();
  return { status, errorComment };
}
