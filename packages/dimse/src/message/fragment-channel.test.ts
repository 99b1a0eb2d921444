import { describe, expect, it } from 'vitest';
import { DimseProtocolError, MessageTooLargeError } from '../errors.js';
import { FRAGMENT_OVERHEAD_BYTES as O } from './fragment-cost.js';
import { FragmentChannel } from './fragment-channel.js';

const bytes = (length: number, fill = 1): Uint8Array => new Uint8Array(length).fill(fill);

/** Lets pending promise callbacks and one macrotask run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled yet. */
function watch(promise: void | Promise<void>): { readonly done: boolean } {
  const state = { done: promise === undefined };
  void promise?.then(() => (state.done = true));
  return state;
}

describe('FragmentChannel', () => {
  it('hands the fragments to its reader in order, as the same objects, then ends', async () => {
    const channel = new FragmentChannel(1024);
    const sent = [bytes(10, 1), bytes(20, 2), bytes(30, 3)];
    for (const fragment of sent) expect(channel.write(fragment)).toBeUndefined();
    expect(channel.ended).toBe(false);
    channel.end();
    expect(channel.ended).toBe(true);
    const received: Uint8Array[] = [];
    for await (const fragment of channel) received.push(fragment);
    expect(received).toHaveLength(3);
    received.forEach((fragment, index) => expect(fragment).toBe(sent[index]));
  });

  it('wakes a waiting reader for each write and at the end', async () => {
    const channel = new FragmentChannel(1024);
    const received: number[] = [];
    const reading = (async () => {
      for await (const fragment of channel) received.push(fragment.length);
    })();
    await settle();
    void channel.write(bytes(2));
    await settle();
    expect(received).toEqual([2]);
    void channel.write(bytes(4));
    channel.end();
    await reading;
    expect(received).toEqual([2, 4]);
  });

  it('returns a promise once more than the high-water mark waits, settled as the reader takes them', async () => {
    // Each waiting fragment costs its bytes plus the overhead O of holding it.
    const channel = new FragmentChannel(100 + 2 * O);
    expect(channel.write(bytes(60))).toBeUndefined();
    expect(channel.write(bytes(40))).toBeUndefined(); // exactly 100 + 2 O waiting: still fine
    expect(channel.queuedCost).toBe(100 + 2 * O);
    const blocked = watch(channel.write(bytes(30))); // 130 + 3 O > 100 + 2 O
    expect(blocked.done).toBe(false);
    const iterator = channel[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toHaveLength(60); // 70 + 2 O left: below the mark
    await settle();
    expect(blocked.done).toBe(true);

    const again = watch(channel.write(bytes(50))); // 120 + 3 O waiting
    await settle();
    expect(again.done).toBe(false);
    expect((await iterator.next()).value).toHaveLength(40); // 80 + 2 O left
    await settle();
    expect(again.done).toBe(true);
    channel.end();
    const rest: number[] = [];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      rest.push(next.value.length);
    }
    expect(rest).toEqual([30, 50]);
  });

  it('fail(): the reader gets the error, fragments still waiting are dropped, the writer is released', async () => {
    const channel = new FragmentChannel(10);
    void channel.write(bytes(8));
    const blocked = watch(channel.write(bytes(8)));
    const reason = new DimseProtocolError('the association was aborted');
    channel.fail(reason);
    await settle();
    expect(blocked.done).toBe(true);
    const iterator = channel[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBe(reason);
    // Later writes are dropped without pushing back, and a second failure changes nothing.
    expect(channel.write(bytes(100))).toBeUndefined();
    channel.fail(new Error('another'));
    await expect(channel[Symbol.asyncIterator]().next()).rejects.toBe(reason);
  });

  it('fail() wakes a reader that is waiting', async () => {
    const channel = new FragmentChannel(10);
    const iterator = channel[Symbol.asyncIterator]();
    const next = iterator.next();
    await settle();
    const reason = new Error('transport closed');
    channel.fail(reason);
    await expect(next).rejects.toBe(reason);
  });

  it('discard(): drops what waits, releases the writer, and swallows the rest of the data set', async () => {
    const channel = new FragmentChannel(10);
    void channel.write(bytes(8));
    const blocked = watch(channel.write(bytes(8)));
    channel.discard();
    await settle();
    expect(blocked.done).toBe(true);
    for (let i = 0; i < 100; i++) expect(channel.write(bytes(1000))).toBeUndefined();
    channel.end();
    const received: Uint8Array[] = [];
    for await (const fragment of channel) received.push(fragment);
    expect(received).toEqual([]);
  });

  it('an early break discards: the writer never waits again', async () => {
    const channel = new FragmentChannel(10);
    void channel.write(bytes(6, 1));
    const blocked = watch(channel.write(bytes(6, 2)));
    for await (const fragment of channel) {
      expect(fragment[0]).toBe(1);
      break;
    }
    await settle();
    expect(blocked.done).toBe(true);
    expect(channel.write(bytes(1000))).toBeUndefined();
    expect(channel.write(bytes(1000))).toBeUndefined();
  });

  it('an error thrown by the reader discards too', async () => {
    const channel = new FragmentChannel(10);
    void channel.write(bytes(6));
    const blocked = watch(channel.write(bytes(6)));
    await expect(
      (async () => {
        for await (const _fragment of channel) throw new Error('disk full');
      })(),
    ).rejects.toThrow('disk full');
    await settle();
    expect(blocked.done).toBe(true);
    expect(channel.write(bytes(1000))).toBeUndefined();
  });

  it('a reader that reads everything leaves nothing to discard', async () => {
    const channel = new FragmentChannel(10);
    void channel.write(bytes(4));
    channel.end();
    for await (const _fragment of channel) {
      // read it all
    }
    expect(channel.ended).toBe(true);
  });

  it('pushes back on many 1-byte fragments as on large ones, and keeps no empty fragment', () => {
    const channel = new FragmentChannel(10 * (1 + O));
    for (let index = 0; index < 100_000; index++) {
      expect(channel.write(new Uint8Array(0))).toBeUndefined();
    }
    expect(channel.queuedFragments).toBe(0);
    for (let index = 0; index < 10; index++) expect(channel.write(bytes(1))).toBeUndefined();
    expect(watch(channel.write(bytes(1))).done).toBe(false);
    expect(channel.queuedFragments).toBe(11);
    channel.fail(new DimseProtocolError('gone'));
  });

  it('refuses a data set longer than maxBytes in total, even one nobody reads', () => {
    const channel = new FragmentChannel(1 << 20, 1000);
    channel.discard();
    for (let index = 0; index < 10; index++) void channel.write(bytes(100));
    expect(() => channel.write(bytes(1))).toThrow(MessageTooLargeError);
  });
});
