/** The dicomnet SCU side of the DIMSE benchmarks, run in the benchmark's own process. */
import { readFile } from 'node:fs/promises';
import type { DimseClient, InstanceFile, StoreInstance } from '@dicomnet/dimse';
import { readPart10Header } from '@dicomnet/data';
import { connect, openInstanceFiles, storeFiles as sendFiles } from '@dicomnet/dimse';
import { SECONDARY_CAPTURE } from './instances.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * Opens one association to 127.0.0.1:`port` proposing Verification (Implicit VR LE) and Secondary
 * Capture in Explicit VR LE, the syntax of the generated files, so they are sent as they are.
 * Our maximum PDU length stays at its default (16 KiB), like DCMTK's; what we send is bounded by
 * the peer's (16 KiB for storescp and for our SCP by default). With `window` above 1 it asks to
 * invoke that many operations at once (PS3.7 D.3.3.3); the peer may grant fewer.
 */
export function openScu(port: number, window = 1): Promise<DimseClient> {
  return connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'DICOMNET',
    calledAeTitle: 'ANY-SCP',
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN] },
    ],
    ...(window > 1 && {
      asynchronousOperationsWindow: { maxOperationsInvoked: window, maxOperationsPerformed: 1 },
    }),
  });
}

/** `count` C-ECHOs one after the other on the open association. */
export async function echoMany(client: DimseClient, count: number): Promise<void> {
  for (let index = 0; index < count; index++) await client.echo();
}

/**
 * Sends the files one after the other, as `dicomnet store` does: `openInstanceFiles` reads their
 * Part 10 headers only with blocking calls (its `sync` option, as storescu reads its files), then
 * `storeFiles` sends them on the association, reading each data set one file ahead into reused
 * buffers. `sync` false: `openInstanceFiles` through the promise API, a few files at a time, as a
 * server would (small files read whole and kept).
 */
export async function storeFiles(
  client: DimseClient,
  files: readonly string[],
  sync = true,
): Promise<void> {
  const opened: InstanceFile[] = [];
  for (const entry of await openInstanceFiles(files, sync ? { sync, keepBytes: 0 } : {})) {
    if ('error' in entry) throw entry.error;
    opened.push(entry);
  }
  for await (const outcome of sendFiles(client, opened)) {
    if (outcome.error !== undefined) throw outcome.error;
  }
}

/**
 * Reads the files into memory (not timed by the caller): each one's data set as one array, to
 * measure the SCU without its file reading.
 */
export async function loadInstances(files: readonly string[]): Promise<StoreInstance[]> {
  const instances: StoreInstance[] = [];
  for (const path of files) {
    const bytes = await readFile(path);
    const { meta, dataSetOffset } = readPart10Header(bytes);
    instances.push({
      sopClassUid: meta.mediaStorageSopClassUid,
      sopInstanceUid: meta.mediaStorageSopInstanceUid,
      transferSyntaxUid: meta.transferSyntaxUid,
      dataSet: bytes.subarray(dataSetOffset),
    });
  }
  return instances;
}

/** Sends instances already in memory, one after the other. */
export async function storeInstances(
  client: DimseClient,
  instances: readonly StoreInstance[],
): Promise<void> {
  for (const instance of instances) await client.store(instance);
}
