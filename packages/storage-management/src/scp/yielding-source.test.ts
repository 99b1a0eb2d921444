import { describe, expect, it } from 'vitest';
import type { InventoryEntry, InventorySource } from '../inventory-source.js';
import { yieldingSource } from './yielding-source.js';

/** A source whose walk never waits: every record is ready at once. */
function eagerSource(count: number): InventorySource {
  return {
    isMatchable: (tag) => tag === '00080020',
    async *entries() {
      for (let i = 0; i < count; i++) {
        yield { kind: 'study', attributes: {}, cursor: String(i) } satisfies InventoryEntry;
      }
    },
  };
}

describe('yieldingSource', () => {
  it('gives the event loop a turn after every page of records, and passes everything through', async () => {
    const source = yieldingSource(eagerSource(1_000), 100);
    const turns: number[] = [];
    let seen = 0;
    // A setImmediate callback runs only when the walk lets the event loop turn.
    const watch = (): void => {
      turns.push(seen);
      if (seen < 1_000) setImmediate(watch);
    };
    setImmediate(watch);
    const cursors: string[] = [];
    for await (const entry of source.entries(
      { conditions: [], returnKeys: [], ignoredKeys: [] },
      { level: 'STUDY' },
    )) {
      seen++;
      if (entry.kind === 'study') cursors.push(entry.cursor);
    }
    expect(cursors).toHaveLength(1_000);
    expect(cursors[999]).toBe('999');
    expect(turns.filter((at) => at > 0 && at < 1_000).length).toBeGreaterThanOrEqual(5);
    expect(source.isMatchable('00080020')).toBe(true);
    expect(source.isMatchable('00081080')).toBe(false);
  });
});
