// Fixtures for the producing tests: an InventorySource over studies held in memory (the contract
// implemented on arrays, walked in the same stable order a repository walk keeps), a sink keeping
// the instances' bytes, and a reader of produced instances back into the model.
import { TransferSyntax, readAttributes, type DataSet, type DataElement } from '@dicomnet/data';
import type { Query } from '@dicomnet/repository';
import type {
  InventoryEntry,
  InventorySink,
  InventorySource,
  InventoryWalkOptions,
  ProducedInstance,
} from '../../src/index.js';

export interface FixtureInstance {
  readonly uid: string;
  readonly number?: string;
}
export interface FixtureSeries {
  readonly uid: string;
  readonly modality?: string;
  readonly instances: readonly FixtureInstance[];
}
export interface FixtureStudy {
  readonly uid: string;
  readonly patientName?: string;
  readonly series: readonly FixtureSeries[];
}

const ui = (value: string): DataElement => ({ vr: 'UI', Value: [value] });

/** Studies `s1…sN`, each with `seriesPerStudy` series of `instancesPerSeries` instances. */
export function makeStudies(
  studies: number,
  seriesPerStudy: number,
  instancesPerSeries: number,
): FixtureStudy[] {
  return Array.from({ length: studies }, (_, s) => ({
    uid: `1.2.3.${s + 1}`,
    patientName: `Patient^${s + 1}`,
    series: Array.from({ length: seriesPerStudy }, (_, r) => ({
      uid: `1.2.3.${s + 1}.${r + 1}`,
      modality: 'CT',
      instances: Array.from({ length: instancesPerSeries }, (_, i) => ({
        uid: `1.2.3.${s + 1}.${r + 1}.${i + 1}`,
        number: String(i + 1),
      })),
    })),
  }));
}

/** An InventorySource over `studies`, in array order; the cursor is the study's index. */
export function arraySource(studies: readonly FixtureStudy[]): InventorySource {
  return {
    isMatchable: () => true,
    async *entries(_scope: Query, options: InventoryWalkOptions): AsyncGenerator<InventoryEntry> {
      const start = options.after === undefined ? 0 : Number(options.after) + 1;
      for (let s = start; s < studies.length; s++) {
        options.signal?.throwIfAborted();
        const study = studies[s]!;
        const attributes: Record<string, DataElement> = { '0020000D': ui(study.uid) };
        if (study.patientName !== undefined)
          attributes['00100010'] = { vr: 'PN', Value: [{ Alphabetic: study.patientName }] };
        yield { kind: 'study', attributes, cursor: String(s) };
        if (options.level === 'STUDY') continue;
        for (const series of study.series) {
          const seriesAttributes: Record<string, DataElement> = { '0020000E': ui(series.uid) };
          if (series.modality !== undefined)
            seriesAttributes['00080060'] = { vr: 'CS', Value: [series.modality] };
          yield { kind: 'series', attributes: seriesAttributes };
          if (options.level === 'SERIES') continue;
          for (const instance of series.instances) {
            yield {
              kind: 'instance',
              attributes: {
                '00080016': ui('1.2.840.10008.5.1.4.1.1.7'),
                '00080018': ui(instance.uid),
                ...(instance.number === undefined
                  ? {}
                  : { '00200013': { vr: 'IS', Value: [instance.number] } }),
              },
            };
          }
        }
      }
    },
  };
}

/** A sink keeping each stored instance's data set bytes and keys, by SOP Instance UID. */
export class MemorySink implements InventorySink {
  readonly stored = new Map<string, Uint8Array>();
  readonly keys = new Map<string, DataSet>();
  readonly order: string[] = [];
  readonly removed: string[] = [];

  async store(instance: ProducedInstance, signal?: AbortSignal): Promise<void> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of instance.dataSet) {
      signal?.throwIfAborted();
      chunks.push(chunk);
    }
    this.stored.set(instance.sopInstanceUid, Buffer.concat(chunks));
    this.keys.set(instance.sopInstanceUid, instance.keys);
    this.order.push(instance.sopInstanceUid);
  }

  async remove(sopInstanceUid: string): Promise<void> {
    this.stored.delete(sopInstanceUid);
    this.removed.push(sopInstanceUid);
  }
}

const HEADER_TAGS = [
  '00080005', '00080016', '00080018', '00080023', '00080033', '00080070', '00080201', '00080400',
  '00080401', '00080403', '00080422', '00080423', '00080426', '00080427', '00080428', '00081195',
]; // prettier-ignore

/** Decodes the header and records of an Explicit VR Little Endian Inventory data set. */
export async function decodeInventory(bytes: Uint8Array): Promise<DataSet> {
  return readAttributes([bytes], HEADER_TAGS, {
    transferSyntaxUid: TransferSyntax.ExplicitVrLittleEndian,
  });
}

/** A record, flattened for comparison: `study:uid`, `series:uid`, `instance:uid`. */
export type FlatRecord = string;

const firstString = (dataSet: DataSet, tag: string): string => {
  const value = dataSet[tag]?.Value?.[0];
  return typeof value === 'string' ? value : '';
};

const items = (dataSet: DataSet, tag: string): DataSet[] =>
  (dataSet[tag]?.Value ?? []) as DataSet[];

/** The records of one decoded instance, depth first. */
export function flatRecords(dataSet: DataSet): FlatRecord[] {
  const out: FlatRecord[] = [];
  for (const study of items(dataSet, '00080423')) {
    out.push(`study:${firstString(study, '0020000D')}`);
    for (const series of items(study, '00080424')) {
      out.push(`series:${firstString(series, '0020000E')}`);
      for (const instance of items(series, '00080425'))
        out.push(`instance:${firstString(instance, '00080018')}`);
    }
  }
  return out;
}

/** The records of a whole tree, leaves in the order the root's references list them. */
export async function treeRecords(sink: MemorySink, rootUid: string): Promise<FlatRecord[]> {
  const root = await decodeInventory(sink.stored.get(rootUid)!);
  const out = flatRecords(root);
  const visit = async (references: readonly DataSet[]): Promise<void> => {
    for (const reference of references) {
      const uid = firstString(reference, '00081155');
      const node = await decodeInventory(sink.stored.get(uid)!);
      out.push(...flatRecords(node));
      await visit(items(node, '00080422'));
    }
  };
  await visit(items(root, '00080422'));
  return out;
}

/** The records `studies` hold at a level, depth first, as {@link flatRecords} gives them. */
export function expectedRecords(
  studies: readonly FixtureStudy[],
  level: 'STUDY' | 'SERIES' | 'INSTANCE',
): FlatRecord[] {
  const out: FlatRecord[] = [];
  for (const study of studies) {
    out.push(`study:${study.uid}`);
    if (level === 'STUDY') continue;
    for (const series of study.series) {
      out.push(`series:${series.uid}`);
      if (level === 'SERIES') continue;
      for (const instance of series.instances) out.push(`instance:${instance.uid}`);
    }
  }
  return out;
}
