// Inventory instances for tests, written with @dicomnet/data's element writer in the layout of
// PS3.3 A.88 / C.38.1: header, Inventoried Studies > Series > Instances, then the attributes that
// follow (0008,0423) in tag order. Studies may come from a generator: nothing is held but the
// study being written, so large fixtures stream to disk.
import {
  writePart10FileFromElements,
  type DataElement,
  type DataSet,
  type ElementWriterInput,
} from '@dicomnet/data';
import { INVENTORY_STORAGE_SOP_CLASS } from '../src/uids.js';
import { Tag } from '../src/tags.js';
import type { InventoryLevel } from '../src/message-types.js';

export interface FixtureInstance {
  readonly uid: string;
  readonly classUid?: string;
}
export interface FixtureSeries {
  readonly uid: string;
  readonly modality?: string;
  readonly instances?: readonly FixtureInstance[];
}
export interface FixtureStudy {
  readonly uid: string;
  readonly patientId?: string;
  readonly studyDate?: string;
  readonly series?: readonly FixtureSeries[];
}
export interface FixtureReference {
  readonly uid: string;
  readonly incorporated?: readonly FixtureReference[];
}
export interface FixtureOptions {
  readonly sopInstanceUid: string;
  readonly level: InventoryLevel;
  readonly studies: Iterable<FixtureStudy>;
  readonly incorporated?: readonly FixtureReference[];
  readonly sopClassUid?: string;
  readonly transferSyntaxUid?: string;
  readonly completion?: string;
  readonly totalStudyRecords?: number;
  readonly transactionUid?: string;
  /** Written as Number of Study Records in Instance instead of the true count. */
  readonly studyRecordsInInstance?: number;
  readonly purpose?: string;
}

const cs = (value: string): DataElement => ({ vr: 'CS', Value: [value] });
const ui = (value: string): DataElement => ({ vr: 'UI', Value: [value] });

function referenceItem(reference: FixtureReference): DataSet {
  return {
    [Tag.ReferencedSOPClassUID]: ui(INVENTORY_STORAGE_SOP_CLASS),
    [Tag.ReferencedSOPInstanceUID]: ui(reference.uid),
    ...(reference.incorporated !== undefined && {
      [Tag.IncorporatedInventoryInstanceSequence]: {
        vr: 'SQ',
        Value: reference.incorporated.map(referenceItem),
      },
    }),
  };
}

/** The item of one study record. */
export function studyItem(study: FixtureStudy): DataSet {
  return {
    ...(study.studyDate !== undefined && { '00080020': { vr: 'DA', Value: [study.studyDate] } }),
    [Tag.ItemInventoryDateTime]: { vr: 'DT', Value: ['20261205120000'] },
    ...(study.series !== undefined && {
      [Tag.InventoriedSeriesSequence]: {
        vr: 'SQ',
        Value: study.series.map((series) => ({
          ...(series.modality !== undefined && { [Tag.Modality]: cs(series.modality) }),
          ...(series.instances !== undefined && {
            [Tag.InventoriedInstancesSequence]: {
              vr: 'SQ',
              Value: series.instances.map((instance) => ({
                [Tag.SOPClassUID]: ui(instance.classUid ?? '1.2.840.10008.5.1.4.1.1.7'),
                [Tag.SOPInstanceUID]: ui(instance.uid),
              })),
            },
          }),
          [Tag.SeriesInstanceUID]: ui(series.uid),
        })),
      },
    }),
    '00100020': { vr: 'LO', Value: [study.patientId ?? 'PAT'] },
    [Tag.StudyInstanceUID]: ui(study.uid),
  };
}

function* model(dataSet: DataSet): Generator<ElementWriterInput> {
  for (const key of Object.keys(dataSet).sort())
    yield {
      kind: 'model-element',
      tag: Number.parseInt(key, 16),
      element: dataSet[key] as DataElement,
    };
}

function* tokens(options: FixtureOptions): Generator<ElementWriterInput> {
  yield* model({
    [Tag.SpecificCharacterSet]: cs('ISO_IR 192'),
    [Tag.SOPClassUID]: ui(options.sopClassUid ?? INVENTORY_STORAGE_SOP_CLASS),
    [Tag.SOPInstanceUID]: ui(options.sopInstanceUid),
    [Tag.ContentDate]: { vr: 'DA', Value: ['20261205'] },
    [Tag.ContentTime]: { vr: 'TM', Value: ['120000'] },
    [Tag.ScopeOfInventorySequence]: { vr: 'SQ' },
    [Tag.InventoryPurpose]: { vr: 'LT', Value: [options.purpose ?? 'migration check'] },
    [Tag.InventoryLevel]: cs(options.level),
    ...(options.incorporated !== undefined && {
      [Tag.IncorporatedInventoryInstanceSequence]: {
        vr: 'SQ',
        Value: options.incorporated.map(referenceItem),
      },
    }),
  });
  let count = 0;
  yield {
    kind: 'sequence',
    tag: Number.parseInt(Tag.InventoriedStudiesSequence, 16),
    vr: 'SQ',
    length: undefined,
  };
  for (const study of options.studies) {
    count += 1;
    yield { kind: 'model-item', dataSet: studyItem(study) };
  }
  yield { kind: 'sequence-end' };
  yield* model({
    [Tag.InventoryCompletionStatus]: cs(options.completion ?? 'COMPLETE'),
    [Tag.NumberOfStudyRecordsInInstance]: {
      vr: 'UL',
      Value: [options.studyRecordsInInstance ?? count],
    },
    [Tag.TotalNumberOfStudyRecords]: {
      vr: 'UV',
      Value: [BigInt(options.totalStudyRecords ?? count)],
    },
    ...(options.transactionUid !== undefined && {
      [Tag.TransactionUID]: ui(options.transactionUid),
    }),
  });
}

/** Writes an Inventory instance as a Part 10 file. */
export async function writeInventoryFixture(path: string, options: FixtureOptions): Promise<void> {
  await writePart10FileFromElements(
    path,
    {
      mediaStorageSopClassUid: options.sopClassUid ?? INVENTORY_STORAGE_SOP_CLASS,
      mediaStorageSopInstanceUid: options.sopInstanceUid,
      transferSyntaxUid: options.transferSyntaxUid ?? '1.2.840.10008.1.2.1',
    },
    tokens(options),
    { fsync: false },
  );
}
