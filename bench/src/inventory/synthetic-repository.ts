/**
 * A repository root whose index holds synthesised rows, as issue 17's inventory benchmark asks:
 * 10 instances per series, 10 series per study (1,000,000 instances = 10,000 studies). The rows
 * go in through the repository's own InstanceIndex in batches, as the repository-find benchmark
 * builds its index; no file exists (a walk reads the index only, and the File Access URI of an
 * instance record is made from its stored path).
 */
import path from 'node:path';
import {
  FileRepository,
  InstanceIndex,
  openSqlite,
  prepareSchema,
  storedPathOf,
  type IndexRecord,
} from '@dicomnet/repository';

/** Instances per series (issue 17: 10,000 studies × 10 series × 10 instances). */
export const INSTANCES_PER_SERIES = 10;
/** Series per study. */
export const SERIES_PER_STUDY = 10;

const EXPLICIT = '1.2.840.10008.1.2.1';
const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const BATCH = 1000;
const NOW = '20260101120000.000000+0000';

/** The Study Instance UID of study `study` (0-based) of the synthetic repository. */
export const syntheticStudyUid = (study: number): string => `1.2.826.0.1.3680043.10.17.1.${study}`;
const seriesUid = (series: number): string => `1.2.826.0.1.3680043.10.17.2.${series}`;

/** The index record of instance `n` (0-based) of the synthetic repository. */
export function syntheticRecord(n: number): IndexRecord {
  const series = Math.floor(n / INSTANCES_PER_SERIES);
  const study = Math.floor(series / SERIES_PER_STUDY);
  const sopInstanceUid = `1.2.826.0.1.3680043.10.17.3.${n}`;
  return {
    patient: {
      patientId: `PID${Math.floor(study / 2)}`,
      issuerOfPatientId: '',
      patientName: `Patient^${study}`,
    },
    study: {
      studyInstanceUid: syntheticStudyUid(study),
      studyDate: `${2020 + (study % 5)}0615`,
      studyTime: '120000',
      accessionNumber: `ACC${study}`,
    },
    series: { seriesInstanceUid: seriesUid(series), modality: series % 2 === 0 ? 'CT' : 'MR' },
    instance: {
      sopInstanceUid,
      sopClassUid: CT_IMAGE,
      transferSyntaxUid: EXPLICIT,
      instanceNumber: String((n % INSTANCES_PER_SERIES) + 1),
    },
    sizeBytes: 2048,
    // The repository's own path for the UID: a walk turns it into the File Access URI.
    storedPath: storedPathOf(sopInstanceUid),
    fileMtimeMs: 1_700_000_000_000,
  };
}

/** The counts of a synthetic repository of `instances` instances. */
export function countsOf(instances: number): {
  studies: number;
  series: number;
  instances: number;
} {
  const series = Math.ceil(instances / INSTANCES_PER_SERIES);
  return { studies: Math.ceil(series / SERIES_PER_STUDY), series, instances };
}

/**
 * Creates a repository at `root` (a new folder) whose index holds `instances` synthesised rows.
 */
export async function buildSyntheticRepository(root: string, instances: number): Promise<void> {
  await (await FileRepository.open({ root, fsync: false })).close();
  const db = await openSqlite(path.join(root, 'index.sqlite'));
  try {
    prepareSchema(db);
    const index = new InstanceIndex(db);
    for (let start = 0; start < instances; start += BATCH) {
      const batch: IndexRecord[] = [];
      for (let n = start; n < Math.min(instances, start + BATCH); n++)
        batch.push(syntheticRecord(n));
      index.put(batch, NOW);
    }
  } finally {
    db.close();
  }
}
