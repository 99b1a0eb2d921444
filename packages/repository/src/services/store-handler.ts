// A Storage SCP over a Repository: each C-STORE's data set streams into `repository.store`, and
// what the repository says becomes a status of PS3.4 B.2.3 (Table B.2-1).
import { statfs as fsStatfs } from 'node:fs/promises';
import { DicomnetError } from '@dicomnet/data';
import type { StatusReply, StoreRequest as CStoreRequest } from '@dicomnet/dimse';
import type { InvalidInstanceError } from '../errors.js';
import { isUidShaped } from '../index-record.js';
import type { DuplicatePolicy, Repository, StoreResult } from '../repository.js';

/** Free space on a file system, as `fs.promises.statfs` reports it. */
export interface FreeSpaceStats {
  /** Free blocks available to unprivileged users. */
  readonly bavail: number | bigint;
  /** Bytes per block. */
  readonly bsize: number | bigint;
}

/** Options of {@link createStoreHandler}. */
export interface StoreHandlerOptions {
  /**
   * Refuse a C-STORE with 0xA700 Refused: Out of Resources (PS3.4 B.2.3) while the file system
   * of `freeSpacePath` has fewer free bytes than this; default 0 (no floor).
   */
  readonly minFreeBytes?: number;
  /** A folder on the file system the repository writes to; required with `minFreeBytes`. */
  readonly freeSpacePath?: string;
  /** How long one free-space reading is reused, in ms; default 1000. */
  readonly freeSpaceCacheMs?: number;
  /** Reads free space; default `fs.promises.statfs`. For tests and unusual file systems. */
  readonly statfs?: (path: string) => Promise<FreeSpaceStats>;
  /** Overrides the repository's duplicate policy for the stores of this handler. */
  readonly duplicate?: DuplicatePolicy;
  /** Called after each instance is stored (or kept, as the duplicate policy says). */
  readonly onStored?: (result: StoreResult, request: CStoreRequest) => void;
  /** Called when a C-STORE is refused, with the status sent and the error behind it. */
  readonly onRefused?: (reply: StatusReply, request: CStoreRequest, error: unknown) => void;
}

const SOP_CLASS_UID = 0x00080016;
const SOP_INSTANCE_UID = 0x00080018;
// The Cxxx status we send: PS3.4 B.2.3 reserves the range for "Error: Cannot understand".
const CANNOT_UNDERSTAND = 0xc000;
const MATCH_ERROR = 0xa900; // PS3.4 B.2.3 Error: Data Set does not match SOP Class
const OUT_OF_RESOURCES = 0xa700; // PS3.4 B.2.3 Refused: Out of Resources

/**
 * A C-STORE handler (for `createServer({ handlers: { store } })` of `@dicomnet/dimse`) that
 * streams each data set into `repository.store`: no copy of the whole instance is held.
 *
 * Statuses (PS3.4 B.2.3, Table B.2-1; PS3.7 C.5):
 * - 0x0000 when the instance is stored, replaced, or already there and kept (duplicate policy
 *   `replace` or `keep`): the SCP holds the instance, which is what Success means (PS3.4 B.2.2).
 * - 0x0117 Invalid SOP Instance when the Affected SOP Instance UID is not a UID (PS3.7 C.5.12).
 * - 0xA700 Refused: Out of Resources below the free-space floor, or when the file system
 *   refuses the write.
 * - 0xA900 Error: Data Set does not match SOP Class when the data set's SOP Class UID, or its
 *   SOP Instance UID, is not the command's (Offending Element names which). B.2.3 has no status
 *   for a different SOP Instance UID; A9xx is its only failure for a data set that disagrees
 *   with its command, and what storescp answers.
 * - 0xC000 Error: Cannot understand when the data set cannot be parsed, lacks a UID the
 *   repository is keyed on (SOP Instance, SOP Class, Study, Series Instance UID) or has a
 *   malformed one, and under the `reject` duplicate policy for an instance already stored
 *   (B.2.3 has no status for a duplicate; Cxxx is its catch-all failure).
 */
export function createStoreHandler(
  repository: Repository,
  options: StoreHandlerOptions = {},
): (request: CStoreRequest) => Promise<StatusReply> {
  const hasRoom = freeSpaceCheck(options);
  return async (request) => {
    const refuse = (reply: StatusReply, error?: unknown): StatusReply => {
      options.onRefused?.(reply, request, error);
      return reply;
    };
    if (!isUidShaped(request.sopInstanceUid)) {
      return refuse({
        status: 0x0117, // PS3.7 C.5.12: the UID violates the UID construction rules
        errorComment: 'Affected SOP Instance UID is not a UID',
      });
    }
    try {
      // Without a floor there is nothing to wait for: no await (a round of promises) per store.
      if (hasRoom !== undefined && !(await hasRoom())) {
        return refuse({
          status: OUT_OF_RESOURCES,
          errorComment: 'free space is below the configured floor',
        });
      }
    } catch (error) {
      return refuse(
        { status: OUT_OF_RESOURCES, errorComment: `cannot read free space: ${messageOf(error)}` },
        error,
      );
    }
    let result: StoreResult;
    try {
      result = await repository.store(
        {
          dataSet: request.dataSet,
          sopClassUid: request.sopClassUid,
          sopInstanceUid: request.sopInstanceUid,
          transferSyntaxUid: request.transferSyntaxUid,
          sourceAeTitle: request.association.callingAeTitle,
        },
        {
          signal: request.signal,
          ...(options.duplicate !== undefined && { duplicate: options.duplicate }),
        },
      );
    } catch (error) {
      // The association is gone: nobody hears a status, and the store left nothing.
      if (request.signal.aborted) throw error;
      return refuse(statusOf(error), error);
    }
    options.onStored?.(result, request);
    return { status: 0x0000 };
  };
}

/** The status for an error of `repository.store` (see {@link createStoreHandler}). */
function statusOf(error: unknown): StatusReply {
  // Told apart by code, not class: the services entry and the main entry of this package may be
  // two loaded copies (ESM and CJS side by side).
  if (DicomnetError.isInstance(error)) {
    if (error.code === 'DICOMNET_REPOSITORY_INVALID_INSTANCE') {
      // The code says which class this is.
      const { reason, detail } = error as InvalidInstanceError;
      switch (reason) {
        case 'sop-class-mismatch':
          return { status: MATCH_ERROR, offendingElement: [SOP_CLASS_UID], errorComment: detail };
        case 'sop-instance-mismatch':
          return {
            status: MATCH_ERROR,
            offendingElement: [SOP_INSTANCE_UID],
            errorComment: detail,
          };
        case 'missing-uid':
        case 'malformed-uid':
        case 'unreadable':
          return { status: CANNOT_UNDERSTAND, errorComment: detail };
      }
    }
    if (error.code === 'DICOMNET_REPOSITORY_DUPLICATE') {
      return { status: CANNOT_UNDERSTAND, errorComment: 'the instance is already stored' };
    }
    if (error.code === 'DICOMNET_REPOSITORY_CLOSED') {
      return { status: OUT_OF_RESOURCES, errorComment: 'the repository is closing' };
    }
  }
  // File system failures (no space, no quota, too many files, I/O errors): the SCP cannot take
  // the instance now, which is what Refused: Out of Resources tells the sender.
  return { status: OUT_OF_RESOURCES, errorComment: `cannot store: ${messageOf(error)}` };
}

/** A cached check of the free-space floor; undefined without one. */
function freeSpaceCheck(options: StoreHandlerOptions): (() => Promise<boolean>) | undefined {
  const floor = options.minFreeBytes ?? 0;
  if (floor <= 0) return undefined;
  const where = options.freeSpacePath;
  if (where === undefined) throw new TypeError('minFreeBytes needs freeSpacePath');
  const statfs = options.statfs ?? ((target: string) => fsStatfs(target));
  const cacheMs = options.freeSpaceCacheMs ?? 1000;
  let reading: { at: number; free: Promise<number> } | undefined;
  return async () => {
    const now = Date.now();
    if (reading === undefined || now - reading.at >= cacheMs) {
      const free = statfs(where).then((stats) => Number(stats.bavail) * Number(stats.bsize));
      reading = { at: now, free };
      // A failed reading is not reused.
      void free.catch(() => {
        if (reading?.free === free) reading = undefined;
      });
    }
    return (await reading.free) >= floor;
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
