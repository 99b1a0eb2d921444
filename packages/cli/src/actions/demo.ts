import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSet } from '@dicomnet/data';
import { createElementCodec, TransferSyntax } from '@dicomnet/data';
import {
  connect,
  createServer,
  isStorageSopClass,
  openInstanceFile,
  storeToDirectory,
  VERIFICATION_SOP_CLASS,
} from '@dicomnet/dimse';
import type { CommandIo } from '../command-io.js';
import type { DemoOptions } from '../commands/demo.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { StoreProgress } from '../store-progress.js';

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const SYNTAX = TransferSyntax.ExplicitVrLittleEndian;

/** Runs `dicomnet demo`: the whole stack on loopback, checked byte by byte. */
export async function runDemo(io: CommandIo, options: DemoOptions): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const dir = await mkdtemp(path.join(tmpdir(), 'dicomnet-demo-'));
  const server = createServer({
    aeTitles: ['DEMO-SCP'],
    contexts: [
      { abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: [SYNTAX] },
      { abstractSyntax: isStorageSopClass, transferSyntaxes: [SYNTAX] },
    ],
    handlers: { store: storeToDirectory(dir) },
  });
  try {
    const { port } = await server.listen({ port: 0 });
    out.line(`embedded SCP DEMO-SCP listening on 127.0.0.1:${port}, storing into ${dir}`);
    const codec = createElementCodec();
    const study = { studyInstanceUid: newUid(), seriesInstanceUid: newUid() };
    const instances = Array.from({ length: options.count }, (_, index) =>
      makeInstance(index, study),
    );
    const encoded = instances.map((instance) => ({
      ...instance,
      bytes: codec.encode(instance.dataSet, SYNTAX),
    }));
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'DEMO-SCU',
      calledAeTitle: 'DEMO-SCP',
      contexts: [
        { abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: [SYNTAX] },
        { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [SYNTAX] },
      ],
    });
    const echo = await client.echo();
    out.line(`C-ECHO: ${echo.meaning}`);
    const total = encoded.reduce((sum, instance) => sum + instance.bytes.byteLength, 0);
    const progress = new StoreProgress(out, io.isTty, encoded.length, total);
    for (const instance of encoded) {
      const before = progress.bytes;
      await client.store(
        {
          sopClassUid: SECONDARY_CAPTURE,
          sopInstanceUid: instance.sopInstanceUid,
          transferSyntaxUid: SYNTAX,
          dataSet: instance.bytes,
        },
        { onProgress: (bytes) => progress.update(before + bytes) },
      );
      progress.fileDone(before + instance.bytes.byteLength);
    }
    progress.stop();
    await client.release();
    out.line(`C-STORE: ${encoded.length} instance(s), ${progress.summary()}`);
    let identical = 0;
    for (const instance of encoded) {
      const stored = await openInstanceFile(path.join(dir, `${instance.sopInstanceUid}.dcm`));
      const file = await readFile(stored.path);
      if (Buffer.from(instance.bytes).equals(file.subarray(file.byteLength - stored.size)))
        identical++;
    }
    out.line(`check: ${identical} of ${encoded.length} stored file(s) identical to what was sent`);
    out.result({
      ok: identical === encoded.length,
      instances: encoded.length,
      identical,
      bytes: total,
      seconds: progress.seconds,
    });
    io.setExitCode(identical === encoded.length ? ExitCode.Ok : ExitCode.Failed);
  } catch (error) {
    out.warn(`dicomnet demo: ${(error as Error).message}`);
    out.result({
      ok: false,
      error: { code: (error as { code?: string }).code, message: (error as Error).message },
    });
    io.setExitCode(exitCodeFor(error));
  } finally {
    await server.abortAll();
    await server.close();
    if (!options.keep) await rm(dir, { recursive: true, force: true });
    else out.line(`kept ${dir}`);
  }
}

/** A UUID-derived UID (PS3.5 B.2). */
function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`)}`;
}

/** A 64 × 64 Secondary Capture image of random pixels. */
function makeInstance(
  index: number,
  study: { readonly studyInstanceUid: string; readonly seriesInstanceUid: string },
): { sopInstanceUid: string; dataSet: DataSet } {
  const sopInstanceUid = newUid();
  const pixels = randomBytes(64 * 64 * 2);
  const dataSet: DataSet = {
    '00080016': { vr: 'UI', Value: [SECONDARY_CAPTURE] },
    '00080018': { vr: 'UI', Value: [sopInstanceUid] },
    '00080060': { vr: 'CS', Value: ['OT'] },
    '00080064': { vr: 'CS', Value: ['WSD'] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Demo^Patient' }] },
    '00100020': { vr: 'LO', Value: ['DEMO0001'] },
    '0020000D': { vr: 'UI', Value: [study.studyInstanceUid] },
    '0020000E': { vr: 'UI', Value: [study.seriesInstanceUid] },
    '00200013': { vr: 'IS', Value: [String(index + 1)] },
    '00280002': { vr: 'US', Value: [1] },
    '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
    '00280010': { vr: 'US', Value: [64] },
    '00280011': { vr: 'US', Value: [64] },
    '00280100': { vr: 'US', Value: [16] },
    '00280101': { vr: 'US', Value: [16] },
    '00280102': { vr: 'US', Value: [15] },
    '00280103': { vr: 'US', Value: [0] },
    '7FE00010': { vr: 'OW', InlineBinary: pixels },
  };
  return { sopInstanceUid, dataSet };
}
