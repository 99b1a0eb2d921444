// The folders of the instances tree. The 256 folders of storage-path.ts are made when the
// repository opens, so a store never waits for a `mkdir`; each keeps a DurableFolder, whose
// descriptor stays open while stores come and whose fsync is shared by concurrent stores.
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DurableFolder } from '@dicomnet/data';
import { createFolder, FolderCache, syncFolder, type ReadyFolder } from './file-support.js';
import { INSTANCE_FOLDERS } from './storage-path.js';

/**
 * How long a folder's descriptor stays open after its last fsync. Stores spread over the 256
 * folders by hash, so one folder sees a store about every 256th: with DurableFolder's default
 * (1 s) its descriptor was closed and opened again for nearly every durable store at a few ms
 * each. At most 256 descriptors are held, and only while stores come.
 */
const FOLDER_IDLE_CLOSE_MS = 10_000;

/** The folders of the instances tree of one open repository. */
export class InstanceFolders {
  /** The instances folder. */
  readonly root: string;
  readonly #fsync: boolean;
  readonly #cache: FolderCache;
  readonly #durable = new Map<string, DurableFolder>();

  private constructor(root: string, fsync: boolean) {
    this.root = root;
    this.#fsync = fsync;
    this.#cache = new FolderCache((folder) => createFolder(root, folder, fsync));
  }

  /**
   * The folders under `root` (which exists), making those of {@link INSTANCE_FOLDERS} that are
   * missing; with `fsync`, their entries are durable when it resolves. One `readdir` when they
   * are all there.
   */
  static async open(root: string, fsync: boolean): Promise<InstanceFolders> {
    const present = new Set(await readdir(root));
    const missing = INSTANCE_FOLDERS.filter((name) => !present.has(name));
    await Promise.all(missing.map((name) => mkdir(path.join(root, name), { recursive: true })));
    if (fsync && missing.length > 0) await syncFolder(root);
    const folders = new InstanceFolders(root, fsync);
    for (const name of INSTANCE_FOLDERS) folders.#cache.add(path.join(root, name));
    return folders;
  }

  /**
   * Resolves once `folder` (under the root) exists: at once for the folders made at open, else
   * (a legacy two-level folder, one removed behind our back) it is made now, once. Await its
   * `durable` before acknowledging a file in it.
   */
  ensure(folder: string): Promise<ReadyFolder> {
    return this.#cache.ensure(folder);
  }

  /** Forgets `folder` (removed behind our back): the next {@link ensure} makes it again. */
  forget(folder: string): void {
    this.#cache.forget(folder);
    const durable = this.#durable.get(folder);
    this.#durable.delete(folder);
    // Its descriptor may name the removed folder: a sync through it would prove nothing.
    void durable?.close();
  }

  /**
   * The {@link DurableFolder} of `folder` for the atomic writer (its fsyncs shared between the
   * stores into it); undefined without fsync.
   */
  durable(folder: string): DurableFolder | undefined {
    if (!this.#fsync) return undefined;
    let durable = this.#durable.get(folder);
    if (durable === undefined) {
      durable = new DurableFolder(folder, { idleCloseMs: FOLDER_IDLE_CLOSE_MS });
      this.#durable.set(folder, durable);
    }
    return durable;
  }

  /** Makes the renames into `folder` done so far durable (nothing without fsync). */
  async sync(folder: string): Promise<void> {
    await this.durable(folder)?.sync();
  }

  /** Closes the descriptors of the folders. */
  async close(): Promise<void> {
    const durable = [...this.#durable.values()];
    this.#durable.clear();
    await Promise.all(durable.map((folder) => folder.close()));
  }
}
