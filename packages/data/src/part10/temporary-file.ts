// A file held whole in memory, written with blocking calls under a temporary name beside its
// final path, and renamed into place when its owner says so: the small-file path of the atomic
// writer, and of stores that rename only once something else is durable (a journal record).
import { closeSync, fstatSync, openSync, renameSync, unlinkSync, writevSync } from 'node:fs';
import path from 'node:path';
import { nodeCrypto } from '../lazy-builtins.js';
import { AtomicWriteError } from './errors.js';

/** Exactly the names of our temporary files: `.<name>.<12 lowercase hex digits>.part`. */
const TEMPORARY_NAME = /^\.(.+)\.[0-9a-f]{12}\.part$/;

/**
 * The final file name a temporary file of {@link AtomicFileWriter} (or {@link TemporaryFile}) was
 * for, or undefined when `fileName` (a base name) is not one of ours. A process killed while
 * writing (SIGKILL, power loss) leaves such a file behind; it is never a complete file.
 */
export function atomicWriterTargetOf(fileName: string): string | undefined {
  return TEMPORARY_NAME.exec(fileName)?.[1];
}

/**
 * A new temporary path beside `finalPath` (so the rename cannot cross file systems), in the same
 * spelling of its folder (no path.join: it normalises).
 */
export function temporaryPathOf(finalPath: string): string {
  const name = path.basename(finalPath);
  return `${finalPath.slice(0, finalPath.lastIndexOf(name))}.${name}.${randomHex12()}.part`;
}

/**
 * A file written whole under a temporary name beside its final path, not yet in place:
 * {@link TemporaryFile.commitSync} renames it there, {@link TemporaryFile.discardSync} removes it.
 * Every call blocks (tens of µs on a local disk, against a thread-pool round trip each), so keep
 * it for files of a few tens of KiB. Nothing is synced: a caller that needs the file durable
 * syncs it, or holds its bytes durable elsewhere (a journal) before committing.
 */
export class TemporaryFile {
  readonly finalPath: string;
  readonly path: string;
  /** Bytes written. */
  readonly bytes: number;
  #fd: number | undefined;

  private constructor(finalPath: string, temporaryPath: string, fd: number, bytes: number) {
    this.finalPath = finalPath;
    this.path = temporaryPath;
    this.#fd = fd;
    this.bytes = bytes;
  }

  /**
   * Creates a temporary file beside `finalPath` (never over an existing file) and writes `chunks`
   * to it.
   * @param options.mode - File mode before the umask; default 0o666.
   * @param options.path - The temporary path, in the folder of `finalPath`; default a new
   *   `.<name>.<12 random hex digits>.part` there, as {@link atomicWriterTargetOf} recognises.
   * @throws {@link AtomicWriteError} (`open` or `write`); nothing is left on disk.
   */
  static writeSync(
    finalPath: string,
    chunks: readonly Uint8Array[],
    options: { readonly mode?: number; readonly path?: string } = {},
  ): TemporaryFile {
    const temporaryPath = options.path ?? temporaryPathOf(finalPath);
    const mode = options.mode ?? 0o666;
    const fd = stepSync(finalPath, 'open', () => openSync(temporaryPath, 'wx', mode));
    let bytes: number;
    try {
      bytes = stepSync(finalPath, 'write', () => writevFully(fd, chunks));
    } catch (error) {
      new TemporaryFile(finalPath, temporaryPath, fd, 0).discardSync();
      throw error;
    }
    return new TemporaryFile(finalPath, temporaryPath, fd, bytes);
  }

  /**
   * The file's modification time in ms, from its descriptor (no path lookup; neither the close
   * nor the rename changes it). Before {@link TemporaryFile.commitSync} only.
   * @throws {@link AtomicWriteError} (`stat`); the file is then discarded.
   */
  mtimeMsSync(): number {
    const fd = this.#open();
    return this.#step('stat', () => Math.trunc(fstatSync(fd).mtimeMs));
  }

  /**
   * Closes the file and renames it to its final path (replacing what is there). Closed before the
   * rename, which costs nothing here and suits Windows.
   * @throws {@link AtomicWriteError} (`close` or `rename`); the file is then discarded.
   */
  commitSync(): void {
    const fd = this.#open();
    this.#fd = undefined; // closed even when the close fails: never closed twice
    this.#step('close', () => closeSync(fd));
    this.#step('rename', () => renameSync(this.path, this.finalPath));
  }

  /** Closes and removes the file; what fails here changes nothing for the caller. Idempotent. */
  discardSync(): void {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already unusable: the file goes all the same
      }
    }
    try {
      unlinkSync(this.path);
    } catch {
      // gone already, or renamed away: nothing more to do
    }
  }

  #open(): number {
    if (this.#fd === undefined) throw new TypeError(`${this.path} is closed`);
    return this.#fd;
  }

  #step<T>(operation: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      this.discardSync();
      throw new AtomicWriteError(this.finalPath, operation, error);
    }
  }
}

/** Runs a blocking step of writing `finalPath`, its failure as an {@link AtomicWriteError}. */
export function stepSync<T>(finalPath: string, operation: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new AtomicWriteError(finalPath, operation, error);
  }
}

/** Writes every byte of `chunks` at the descriptor's position; returns the count. */
export function writevFully(fd: number, chunks: readonly Uint8Array[]): number {
  let total = 0;
  for (const chunk of chunks) total += chunk.byteLength;
  let buffers = chunks;
  let remaining = total;
  while (remaining > 0) {
    const written = writevSync(fd, buffers);
    remaining -= written;
    if (remaining > 0) buffers = skip(buffers, written);
  }
  return total;
}

/** `buffers` without their first `count` bytes. */
export function skip(buffers: readonly Uint8Array[], count: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let toSkip = count;
  for (const buffer of buffers) {
    if (toSkip >= buffer.byteLength) {
      toSkip -= buffer.byteLength;
      continue;
    }
    rest.push(toSkip > 0 ? buffer.subarray(toSkip) : buffer);
    toSkip = 0;
  }
  return rest;
}

/**
 * 12 random lowercase hex digits: the first 12 of a version 4 UUID, all random (RFC 9562 §5.4).
 * `randomUUID` draws from a cached entropy pool, about 1 µs against 12–18 µs for
 * `randomBytes(6)`, which is a system call each time.
 */
function randomHex12(): string {
  crypto ??= nodeCrypto(); // getBuiltinModule costs ~2 µs a call
  const uuid = crypto.randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13);
}

let crypto: ReturnType<typeof nodeCrypto> | undefined;
