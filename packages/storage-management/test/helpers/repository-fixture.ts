// A FileRepository filled with DCMTK-generated instances (several patients, studies, series),
// and what was stored, to compare an inventory of it with.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { FileRepository } from '@dicomnet/repository';
import { generateInstances, tempDir, type GeneratedInstance } from '@dicomnet/test-utils';
import { afterAll, beforeAll } from 'vitest';

/** A repository and the instances in it. */
export interface RepositoryFixture {
  readonly repository: FileRepository;
  readonly instances: readonly (GeneratedInstance & { readonly patientId: string })[];
}

/** Study `s` of `studies` gets `seriesPerStudy` series of `instancesPerSeries` instances. */
export async function makeRepositoryFixture(
  dir: string,
  studies: number,
  seriesPerStudy: number,
  instancesPerSeries: number,
): Promise<RepositoryFixture> {
  const source = path.join(dir, 'source');
  await mkdir(source, { recursive: true });
  const instances: (GeneratedInstance & { patientId: string })[] = [];
  for (let s = 0; s < studies; s++) {
    let studyInstanceUid: string | undefined;
    const patientId = `PID-${s % 2}`;
    for (let r = 0; r < seriesPerStudy; r++) {
      const generated = await generateInstances(source, {
        count: instancesPerSeries,
        pixelBytes: 64,
        patientId,
        patientName: s % 2 === 0 ? 'DOE^JOHN' : 'ROE^JANE',
        fileNamePrefix: `s${s}-${r}-`,
        ...(studyInstanceUid === undefined ? {} : { studyInstanceUid }),
      });
      studyInstanceUid ??= generated[0]!.studyInstanceUid;
      instances.push(...generated.map((instance) => ({ ...instance, patientId })));
    }
  }
  const repository = await FileRepository.open({ root: path.join(dir, 'repo'), fsync: false });
  for (const instance of instances) {
    const bytes = await readFile(instance.path);
    const header = readPart10Header(bytes);
    await repository.store({
      dataSet: bytes.subarray(header.dataSetOffset),
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      transferSyntaxUid: instance.transferSyntaxUid,
    });
  }
  return { repository, instances };
}

/** A {@link RepositoryFixture} in its own temporary folder, `dir`. */
export interface FolderFixture extends RepositoryFixture {
  /** The temporary folder (the repository is in `repo` below it). */
  readonly dir: string;
}

/**
 * Registers the set-up of a test file: before its tests, a temporary folder named from `prefix`
 * with a repository filled as {@link makeRepositoryFixture} does; after them, the repository
 * closed and the folder removed. The fields are readable once the file's tests run.
 */
export function useRepositoryFixture(
  prefix: string,
  studies: number,
  seriesPerStudy: number,
  instancesPerSeries: number,
): FolderFixture {
  let dir: { path: string; remove(): Promise<void> } | undefined;
  let fixture: RepositoryFixture | undefined;
  beforeAll(async () => {
    dir = await tempDir(prefix);
    fixture = await makeRepositoryFixture(dir.path, studies, seriesPerStudy, instancesPerSeries);
  }, 60_000);
  afterAll(async () => {
    await fixture?.repository.close();
    await dir?.remove();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the repository fixture is set up in beforeAll');
    return value;
  };
  return {
    get dir() {
      return ready(dir).path;
    },
    get repository() {
      return ready(fixture).repository;
    },
    get instances() {
      return ready(fixture).instances;
    },
  };
}
