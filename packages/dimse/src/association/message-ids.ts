/**
 * Hands out Message IDs (0000,0110) for requests we invoke: 1…65535, wrapping, never one still
 * outstanding on the association. The ID "distinguishes this message from other messages"
 * (PS3.7 Table E.1-1); reusing an outstanding one earns 0x0210 Duplicate invocation.
 */
export class MessageIds {
  #next = 1;
  readonly #inUse = new MessageIdSet();

  /** The next free ID. Throws if all 65535 are outstanding (the window prevents that). */
  take(): number {
    for (let tries = 0; tries < 0xffff; tries++) {
      const id = this.#next;
      this.#next = id === 0xffff ? 1 : id + 1;
      if (!this.#inUse.has(id)) {
        this.#inUse.add(id);
        return id;
      }
    }
    throw new RangeError('every Message ID is outstanding');
  }

  release(id: number): void {
    this.#inUse.delete(id);
  }

  get outstanding(): number {
    return this.#inUse.size;
  }
}

/**
 * A set of Message IDs (a US: 0…65535, PS3.7 Table E.1-1), one bit each: a `Set`'s add and
 * delete cost more than the rest of a C-ECHO's bookkeeping. Anything else is never a member.
 */
export class MessageIdSet {
  readonly #bits = new Uint32Array(0x10000 / 32);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(id: number): boolean {
    return isUs(id) && ((this.#bits[id >>> 5] as number) & (1 << (id & 31))) !== 0; // word < 2048
  }

  /** Adds a US; anything else is ignored (it cannot be a Message ID). */
  add(id: number): void {
    if (!isUs(id)) return;
    const word = id >>> 5;
    const bits = this.#bits[word] as number; // word < 2048: inside the array
    const bit = 1 << (id & 31);
    if ((bits & bit) !== 0) return;
    this.#bits[word] = bits | bit;
    this.#size++;
  }

  delete(id: number): void {
    if (!isUs(id)) return;
    const word = id >>> 5;
    const bits = this.#bits[word] as number; // word < 2048: inside the array
    const bit = 1 << (id & 31);
    if ((bits & bit) === 0) return;
    this.#bits[word] = bits & ~bit;
    this.#size--;
  }
}

function isUs(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= 0xffff;
}

/** Limits how many requests are outstanding at once (the asynchronous operations window). */
export class Window {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  /** `size` 0 means unlimited (PS3.7 D.3.3.3); we still cap it to stay within Message IDs. */
  constructor(size: number) {
    this.#free = size === 0 ? 0xfff0 : size;
  }

  /** Takes a free slot if there is one; false when every slot is taken (then {@link acquire}). */
  tryTake(): boolean {
    if (this.#free === 0) return false; // a free slot implies nobody waits: release() serves waiters first
    this.#free--;
    return true;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#free++;
  }
}
