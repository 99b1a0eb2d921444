// What an inventory is made from. The SCP does not read a repository directly: it walks an
// InventorySource, so users can inventory their own store; @dicomnet/repository provides the
// default (repositorySource).
import type { DataSet } from '@dicomnet/data';
import type { Query } from '@dicomnet/repository';
import type { InventoryLevel } from './message-types.js';

/**
 * One record of an inventory, in depth-first order: a study, then (at SERIES and INSTANCE level)
 * each of its series, each followed (at INSTANCE level) by its instances. A series belongs to the
 * study before it, an instance to the series before it.
 */
export type InventoryEntry =
  | {
      readonly kind: 'study';
      /** Patient and study attributes of the study record (PS3.3 C.38.1). */
      readonly attributes: DataSet;
      /**
       * Opaque: passed back as {@link InventoryWalkOptions.after}, the walk resumes after this
       * study, also in another process (a production survives a restart, PS3.4 KK.2).
       */
      readonly cursor: string;
    }
  | { readonly kind: 'series'; readonly attributes: DataSet }
  | { readonly kind: 'instance'; readonly attributes: DataSet };

/** Options of {@link InventorySource.entries}. */
export interface InventoryWalkOptions {
  /** Which records to yield: studies only, down to series, or down to instances. */
  readonly level: InventoryLevel;
  /** A study `cursor` to resume after. */
  readonly after?: string;
  /** Aborting ends the walk with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A store whose content can be inventoried. */
export interface InventorySource {
  /**
   * Whether a Scope of Inventory key can be matched; the others are answered with 0xB010 and
   * listed in the Attribute Identifier List, and production goes on without them
   * (PS3.4 KK.2.2.3).
   */
  isMatchable(tag: string): boolean;
  /**
   * The records in scope, in a stable order (the same order on every walk), so that a cursor
   * resumes exactly after the last study written. Studies match when every key of `scope`
   * matches (PS3.4 KK.2.2.1.1).
   */
  entries(scope: Query, options: InventoryWalkOptions): AsyncIterable<InventoryEntry>;
}
