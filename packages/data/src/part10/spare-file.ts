import { close, open, unlink } from 'node:fs';
import path from 'node:path';
import { randomHex12, temporaryNameOf } from './atomic-file-writer.js';

/** A created, empty temporary file, handed to one writer. */
export interface TakenSpareFile {
  readonly fd: number;
  readonly path: string;
}

/**
 * An empty temporary file created ahead, through libuv's thread pool, for the next small
 * {@link AtomicFileWriter} into a folder: that writer then writes, closes and renames it, and
 * does not create a file on its critical path (a creation costs hundreds of µs on some disks,
 * more than the rest of a small file's write). The file is named as the writer names its
 * temporary files (`.<name>.<12 hex digits>.part`, `name` standing for a final name), so a
 * process killed while it exists leaves only what {@link atomicWriterTargetOf} recognises as a
 * temporary file. At most one spare exists at a time; {@link close} removes it.
 */
export class SpareFile {
  /** The folder the spare is created in. */
  readonly folder: string;
  /** The file mode of the spare (before the umask); a writer with another mode does not take it. */
  readonly mode = 0o666;
  readonly #name: string;
  #ready: TakenSpareFile | undefined;
  #creating: Promise<void> | undefined;
  #closed = false;

  /**
   * @param folder The folder of the final paths.
   * @param name The final name the temporary name is built from (it is renamed to another).
   */
  constructor(folder: string, name: string) {
    this.folder = folder;
    this.#name = name;
  }

  /**
   * Starts creating a spare unless one is ready or being created, or after {@link close}. A
   * failure is not reported: the next writer then creates its file itself, and reports it.
   */
  prepare(): void {
    if (this.#closed || this.#ready !== undefined || this.#creating !== undefined) return;
    const file = path.join(this.folder, temporaryNameOf(this.#name, randomHex12()));
    this.#creating = new Promise((resolve) => {
      open(file, 'wx', this.mode, (error, fd) => {
        this.#creating = undefined;
        if (error !== null) resolve();
        else if (this.#closed) void discard({ fd, path: file }).then(resolve);
        else {
          this.#ready = { fd, path: file };
          resolve();
        }
      });
    });
  }

  /** The spare if one is ready (the caller then owns it: closes, renames or removes it). */
  take(): TakenSpareFile | undefined {
    const ready = this.#ready;
    this.#ready = undefined;
    return ready;
  }

  /** Removes the spare (waiting for one being created) and creates no more. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#creating;
    const ready = this.take();
    if (ready !== undefined) await discard(ready);
  }
}

/** Closes and removes a spare nobody will write; failures leave a leftover, nothing worse. */
function discard(spare: TakenSpareFile): Promise<void> {
  return new Promise((resolve) => close(spare.fd, () => unlink(spare.path, () => resolve())));
}
