// Where produced Inventory instances go. The repository is the default (repositorySink): there
// they are Inventory Storage instances, found and retrieved through Inventory FIND/GET/MOVE
// (PS3.4 JJ).

import type { DataSet } from '@dicomnet/data';

/** One produced Inventory SOP Instance, as a C-STORE would carry it. */
export interface ProducedInstance {
  readonly sopInstanceUid: string;
  /** Always Inventory Storage (1.2.840.10008.5.1.4.1.1.201.1). */
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  /** The data set in `transferSyntaxUid`: no preamble, no File Meta Information. */
  readonly dataSet: AsyncIterable<Uint8Array>;
  /**
   * The top-level attributes of `dataSet` but its Incorporated Inventory Instance (0008,0422) and
   * Inventoried Studies (0008,0423) Sequences, as written: its keys (PS3.3 C.38.1) without
   * reading its bytes.
   */
  readonly keys: DataSet;
}

/** A place that keeps produced Inventory instances. */
export interface InventorySink {
  /** Stores one instance; resolves once it is durable (a checkpoint may then name it). */
  store(instance: ProducedInstance, signal?: AbortSignal): Promise<void>;
  /** Removes a produced instance (a Cancel that does not retain instances, PS3.4 KK.2.2). */
  remove(sopInstanceUid: string): Promise<void>;
}
