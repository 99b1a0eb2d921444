/**
 * The sides of the `data-index` benchmark: each extracts the index records of a list of files,
 * one way. CPU time spent outside this process (dcmdump's) is reported with the records.
 */
import { readIndexRecordsWithDcmdump } from './dcmdump-index-reader.js';
import { readIndexRecordWithDcmjs } from './dcmjs-index-reader.js';
import { readIndexRecords, readIndexRecordSync } from './dicomnet-index-reader.js';
import type { IndexRecord } from './index-record.js';
import { compareRecords } from './index-record.js';

/** Files read at once by the asynchronous dicomnet side. */
export const ASYNC_CONCURRENCY = 4;

/** Which implementation a side measures. */
export type SideKind = 'dicomnet' | 'dcmjs' | 'dcmdump';

/** What one extraction returned. */
export interface SideRun {
  readonly records: readonly IndexRecord[];
  /** CPU seconds of child processes (dcmdump); 0 for the sides that run in this process. */
  readonly childCpuSeconds: number;
}

/** One way of extracting the records of all files. */
export interface Side {
  readonly id: string;
  readonly kind: SideKind;
  readonly label: string;
  readonly extract: (files: readonly string[]) => Promise<SideRun>;
}

const inProcess = (records: readonly IndexRecord[]): SideRun => ({ records, childCpuSeconds: 0 });

/** The sides, in the order of the table. */
export const SIDES: readonly Side[] = [
  {
    id: 'dicomnet-sync',
    kind: 'dicomnet',
    label: 'dicomnet readPart10AttributesSync, one file after another',
    extract: (files) => Promise.resolve(inProcess(files.map((file) => readIndexRecordSync(file)))),
  },
  {
    id: `dicomnet-async-${ASYNC_CONCURRENCY}`,
    kind: 'dicomnet',
    label: `dicomnet readPart10Attributes, ${ASYNC_CONCURRENCY} files at a time`,
    extract: async (files) => inProcess(await readIndexRecords(files, ASYNC_CONCURRENCY)),
  },
  {
    id: 'dcmjs-read-file',
    kind: 'dcmjs',
    label: 'dcmjs fs.readFile + DicomMessage.readFile, raw dict, one file after another',
    extract: async (files) => {
      const records: IndexRecord[] = [];
      for (const file of files) records.push(await readIndexRecordWithDcmjs(file));
      return inProcess(records);
    },
  },
  {
    id: 'dcmdump-batch-100',
    kind: 'dcmdump',
    label: 'dcmdump +P …, 100 files a process, output parsed in Node',
    extract: (files) =>
      readIndexRecordsWithDcmdump(files, { batchSize: 100, stopBeforePixelData: false }),
  },
  {
    id: 'dcmdump-batch-all',
    kind: 'dcmdump',
    label: 'dcmdump +P …, all files in one process, output parsed in Node',
    extract: (files) =>
      readIndexRecordsWithDcmdump(files, { batchSize: files.length, stopBeforePixelData: false }),
  },
  {
    id: 'dcmdump-batch-all-stop',
    kind: 'dcmdump',
    label: 'dcmdump +P … +sb 7fe0,0010, all files in one process, output parsed in Node',
    extract: (files) =>
      readIndexRecordsWithDcmdump(files, { batchSize: files.length, stopBeforePixelData: true }),
  },
];

/**
 * Fails loudly unless every side extracted the same values as the first, file by file.
 * @param results - Each side's records, in the order of `sides`.
 */
export function checkAgreement(
  sides: readonly Side[],
  files: readonly string[],
  results: readonly (readonly IndexRecord[])[],
): void {
  const reference = results[0] ?? [];
  const problems: string[] = [];
  for (const [sideIndex, records] of results.entries()) {
    if (records.length !== files.length) {
      problems.push(`${sides[sideIndex]?.id}: ${records.length} records for ${files.length} files`);
      continue;
    }
    for (const [fileIndex, record] of records.entries()) {
      const expected = reference[fileIndex];
      if (expected === undefined) continue;
      for (const difference of compareRecords(expected, record)) {
        problems.push(
          `${sides[sideIndex]?.id} ≠ ${sides[0]?.id}, ${files[fileIndex]}: ${difference}`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `the sides disagree (${problems.length} values):\n${problems.slice(0, 20).join('\n')}`,
    );
  }
}
