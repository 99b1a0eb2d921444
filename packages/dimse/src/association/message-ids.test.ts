import { describe, expect, it } from 'vitest';
import { MessageIdSet, MessageIds, Window } from './message-ids.js';

describe('MessageIds', () => {
  it('hands out 1, 2, 3… and counts what is outstanding', () => {
    const ids = new MessageIds();
    expect([ids.take(), ids.take(), ids.take()]).toEqual([1, 2, 3]);
    expect(ids.outstanding).toBe(3);
    ids.release(2);
    expect(ids.outstanding).toBe(2);
    ids.release(2); // twice: harmless
    expect(ids.outstanding).toBe(2);
  });

  it('does not hand a released ID out again before wrapping around', () => {
    const ids = new MessageIds();
    const first = ids.take();
    ids.release(first);
    expect(ids.take()).toBe(2);
  });

  it('wraps from 65535 to 1, never using 0 (Message ID is a US, PS3.7 Table E.1-1)', () => {
    const ids = new MessageIds();
    for (let expected = 1; expected <= 0xfffe; expected++) ids.release(ids.take());
    expect(ids.take()).toBe(0xffff);
    expect(ids.take()).toBe(1);
    expect(ids.take()).toBe(2);
  });

  it('skips IDs still outstanding after wrapping around', () => {
    const ids = new MessageIds();
    const kept = [ids.take(), ids.take()]; // 1 and 2 stay outstanding
    ids.take(); // 3, released below
    ids.release(3);
    for (let id = 4; id <= 0xffff; id++) ids.release(ids.take());
    expect(ids.take()).toBe(3);
    expect(ids.take()).toBe(4);
    expect(kept).toEqual([1, 2]);
    expect(ids.outstanding).toBe(4);
  });

  it('refuses once all 65535 are outstanding, and recovers when one is released', () => {
    const ids = new MessageIds();
    for (let i = 0; i < 0xffff; i++) ids.take();
    expect(ids.outstanding).toBe(0xffff);
    expect(() => ids.take()).toThrow(RangeError);
    ids.release(40_000);
    expect(ids.take()).toBe(40_000);
  });
});

describe('MessageIdSet', () => {
  it('holds any US, 0 and 65535 included, and counts its members', () => {
    const set = new MessageIdSet();
    for (const id of [0, 31, 32, 0xffff]) set.add(id);
    set.add(31); // twice: one member
    expect([0, 31, 32, 0xffff].map((id) => set.has(id))).toEqual([true, true, true, true]);
    expect([1, 30, 33, 0xfffe].some((id) => set.has(id))).toBe(false);
    expect(set.size).toBe(4);
    set.delete(31);
    set.delete(31);
    set.delete(7); // never added
    expect(set.has(31)).toBe(false);
    expect(set.size).toBe(3);
  });

  it('has nothing that is not a US, and ignores adding or deleting it', () => {
    const set = new MessageIdSet();
    for (const id of [-1, 0x10000, 1.5, Number.NaN, Infinity]) {
      set.add(id);
      expect(set.has(id)).toBe(false);
      set.delete(id);
    }
    set.add(1);
    set.delete(0x10001); // would share a bit with 1 if unchecked
    expect(set.has(1)).toBe(true);
    expect(set.size).toBe(1);
  });
});

describe('Window', () => {
  it('lets `size` operations through, then queues the rest in order', async () => {
    const window = new Window(2);
    await window.acquire();
    await window.acquire();
    const order: number[] = [];
    const third = window.acquire().then(() => order.push(3));
    const fourth = window.acquire().then(() => order.push(4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    window.release();
    await third;
    expect(order).toEqual([3]);
    window.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('rejects a waiting acquire when its signal aborts, and forgets it', async () => {
    const window = new Window(1);
    await window.acquire();
    const controller = new AbortController();
    const waiting = window.acquire(controller.signal);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    window.release(); // goes to the free count, not to the aborted waiter
    await expect(window.acquire(AbortSignal.timeout(1000))).resolves.toBeUndefined();
  });

  it('rejects at once with an aborted signal', async () => {
    const reason = new Error('already');
    await expect(new Window(5).acquire(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('treats size 0 as unlimited (PS3.7 D.3.3.3), within what Message IDs allow', async () => {
    const window = new Window(0);
    for (let i = 0; i < 1000; i++) await window.acquire();
    let granted = 0;
    for (let i = 1000; i < 0xfff0; i++) {
      await window.acquire();
      granted++;
    }
    expect(granted).toBe(0xfff0 - 1000);
    let extra = false;
    void window.acquire().then(() => (extra = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(extra).toBe(false);
  });
});
