// Test fixture for matching and Query/Retrieve: patients, studies and series of generated
// instances (DCMTK), their study and series attributes set with dcmodify, stored into a
// FileRepository; what was stored is kept to compare answers with, field by field.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { generateInstances, runTool } from '@dicomnet/test-utils';
import type { GeneratedInstance } from '@dicomnet/test-utils';
import { FileRepository } from '../../src/index.js';

/** One study to make. */
export interface StudySpec {
  readonly patientName: string;
  readonly patientId: string;
  readonly date: string;
  readonly time: string;
  readonly accession: string;
  readonly description: string;
  /** Modality and number of instances of each series. */
  readonly series: readonly { readonly modality: string; readonly count: number }[];
}

/** Names differing in case, one patient with two studies, dates on range edges. */
export const STUDIES: readonly StudySpec[] = [
  {
    patientName: 'DOE^JOHN',
    patientId: 'PID-A',
    date: '20191215',
    time: '083000',
    accession: 'ACC1',
    description: 'HEAD',
    series: [
      { modality: 'CT', count: 2 },
      { modality: 'MR', count: 1 },
    ],
  },
  {
    patientName: 'DOE^JANE',
    patientId: 'PID-B',
    date: '20200101',
    time: '120000',
    accession: 'ACC2',
    description: 'CHEST',
    series: [{ modality: 'CT', count: 1 }],
  },
  {
    patientName: 'doe^jim',
    patientId: 'PID-C',
    date: '20200630',
    time: '235959',
    accession: 'acc3',
    description: 'ABDOMEN',
    series: [{ modality: 'US', count: 1 }],
  },
  {
    patientName: 'DOE^JOHN',
    patientId: 'PID-A',
    date: '20201231',
    time: '0930',
    accession: 'ACC4',
    description: 'KNEE',
    series: [{ modality: 'MR', count: 2 }],
  },
];

/** A stored instance with the attributes it was made with. */
export interface StoredFixtureInstance extends GeneratedInstance {
  readonly study: StudySpec;
  readonly modality: string;
  readonly bytes: Buffer;
}

/** The fixture: the repository and every instance it holds. */
export interface QrFixture {
  readonly repository: FileRepository;
  readonly instances: readonly StoredFixtureInstance[];
  /** The study UIDs, in the order of {@link STUDIES}. */
  readonly studyUids: readonly string[];
}

/** Makes the instances of {@link STUDIES} in `dir/source` and stores them into `dir/repo`. */
export async function makeQrFixture(dir: string): Promise<QrFixture> {
  const source = path.join(dir, 'source');
  await mkdir(source, { recursive: true });
  const instances: StoredFixtureInstance[] = [];
  const studyUids: string[] = [];
  for (const [studyIndex, study] of STUDIES.entries()) {
    let studyUid: string | undefined;
    for (const [seriesIndex, series] of study.series.entries()) {
      const generated = await generateInstances(source, {
        count: series.count,
        pixelBytes: 64,
        patientName: study.patientName,
        patientId: study.patientId,
        fileNamePrefix: `s${studyIndex}-${seriesIndex}-`,
        ...(studyUid === undefined ? {} : { studyInstanceUid: studyUid }),
      });
      studyUid ??= generated[0]?.studyInstanceUid;
      const modified = await runTool('dcmodify', [
        '-nb',
        ...['-i', `(0008,0020)=${study.date}`, '-i', `(0008,0030)=${study.time}`],
        ...['-i', `(0008,0050)=${study.accession}`, '-i', `(0008,1030)=${study.description}`],
        ...['-i', `(0008,0060)=${series.modality}`],
        ...generated.map((instance) => instance.path),
      ]);
      if (modified.code !== 0) throw new Error(`dcmodify failed: ${modified.stderr}`);
      for (const instance of generated) {
        instances.push({
          ...instance,
          study,
          modality: series.modality,
          bytes: await readFile(instance.path),
        });
      }
    }
    if (studyUid === undefined) throw new Error('no study generated');
    studyUids.push(studyUid);
  }
  const repository = await FileRepository.open({ root: path.join(dir, 'repo'), fsync: false });
  for (const instance of instances) {
    const header = readPart10Header(instance.bytes);
    await repository.store({
      dataSet: instance.bytes.subarray(header.dataSetOffset),
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      transferSyntaxUid: instance.transferSyntaxUid,
    });
  }
  return { repository, instances, studyUids };
}
