// Index rows for tests that load the index directly (as bulk loaders do): one CT instance of
// patient PID under the given study and series, with no file behind it.
import type { IndexRecord } from '../../src/index-record.js';
import { storedPathOf } from '../../src/storage-path.js';

/** The index record of one instance at the given UIDs. */
export function instanceRecord(study: string, series: string, sop: string): IndexRecord {
  return {
    patient: { patientId: 'PID', issuerOfPatientId: '' },
    study: { studyInstanceUid: study },
    series: { seriesInstanceUid: series, modality: 'CT' },
    instance: {
      sopInstanceUid: sop,
      sopClassUid: '1.2.3',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    },
    sizeBytes: 100,
    storedPath: storedPathOf(sop),
    fileMtimeMs: 0,
  };
}
