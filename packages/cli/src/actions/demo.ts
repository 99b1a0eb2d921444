// `dicomnet demo`, the README's main job with nothing installed: `dicomnet serve --storage` runs
// in this process on a temporary repository; the demo stores generated studies into it over
// C-STORE, asks it for an inventory with the Inventory Creation SCU (PS3.4 KK.2), follows the
// production, retrieves the tree through Inventory GET (PS3.4 JJ.3) and checks that its records
// are exactly the studies, series and instances stored.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { connect, VERIFICATION_SOP_CLASS } from '@dicomnet/dimse';
import {
  createInventoryScu,
  retrieveInventory,
  type InventoryRecord,
  type InventoryResult,
  type InventoryTransaction,
} from '@dicomnet/storage-management';
import type { CommandIo } from '../command-io.js';
import type { DemoOptions } from '../commands/demo.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { createOutput, type Output } from '../output.js';
import { StoreProgress } from '../store-progress.js';
import { compareWithStored, recordKey } from './demo-check.js';
import {
  DEMO_SOP_CLASSES,
  DEMO_SYNTAX,
  makeDemoStudies,
  type DemoInstance,
} from './demo-studies.js';
import { describeEvent } from './inventory-events.js';
import { recordLine } from './inventory-format.js';
import { runServe } from './serve.js';

const SCP = 'DEMO-SCP';
const SCU = 'DEMO-SCU';
const HOST = '127.0.0.1';
/** Bound of the in-process server's start. */
const START_TIMEOUT_MS = 15_000;
/** Records printed as a sample. */
const SAMPLE_RECORDS = 8;

/** A `dicomnet serve` running in this process, and its log as JSON objects. */
interface InProcessServer {
  readonly port: number;
  /** Stops it (as Ctrl-C stops `dicomnet serve`) and waits for it to end. */
  stop(): Promise<void>;
}

/** Starts `serve --storage root` on a free port of 127.0.0.1; serve's lines go to `onLog`. */
async function startServer(
  root: string,
  maxRecordsPerInstance: number,
  onLog: (event: Record<string, unknown>) => void,
): Promise<InProcessServer> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stop = new AbortController();
  let errors = '';
  stderr.setEncoding('utf8').on('data', (text: string) => (errors += text));
  let port: ((value: number) => void) | undefined;
  const listening = new Promise<number>((resolve) => (port = resolve));
  let buffered = '';
  stdout.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
      const event = JSON.parse(buffered.slice(0, end)) as Record<string, unknown>;
      buffered = buffered.slice(end + 1);
      if (event.event === 'listening') port?.(event.port as number); // serve logs its port
      onLog(event);
    }
  });
  const running = runServe(
    { stdout, stderr, isTty: false, interrupted: stop.signal, setExitCode: () => {} },
    {
      storage: root,
      port: 0,
      host: HOST,
      aet: SCP,
      maxAssociations: 8,
      window: 1,
      fsync: false,
      json: true,
      inventoryCreation: true,
      maxRecordsPerInstance,
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const started = await Promise.race<number | undefined>([
    listening,
    running.then(() => undefined),
    new Promise((resolve) => (timer = setTimeout(() => resolve(undefined), START_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
  if (started === undefined) {
    stop.abort(new Error('demo over'));
    await running;
    throw new Error(`the embedded server did not start: ${errors.trim() || 'timed out'}`);
  }
  return {
    port: started,
    async stop() {
      stop.abort(new Error('demo over'));
      await running;
    },
  };
}

/** C-ECHO, then every instance by C-STORE with a progress bar. */
async function storeStudies(
  out: Output,
  io: CommandIo,
  port: number,
  instances: readonly DemoInstance[],
): Promise<void> {
  const client = await connect({
    host: HOST,
    port,
    callingAeTitle: SCU,
    calledAeTitle: SCP,
    contexts: [VERIFICATION_SOP_CLASS, ...DEMO_SOP_CLASSES].map((abstractSyntax) => ({
      abstractSyntax,
      transferSyntaxes: [DEMO_SYNTAX],
    })),
  });
  try {
    out.line(`C-ECHO: ${(await client.echo()).meaning}`);
    const total = instances.reduce((sum, instance) => sum + instance.bytes.byteLength, 0);
    const progress = new StoreProgress(out, io.isTty, instances.length, total);
    for (const instance of instances) {
      const before = progress.bytes;
      await client.store(
        {
          sopClassUid: instance.sopClassUid,
          sopInstanceUid: instance.sopInstanceUid,
          transferSyntaxUid: DEMO_SYNTAX,
          dataSet: instance.bytes,
        },
        { onProgress: (bytes) => progress.update(before + bytes) },
      );
      progress.fileDone(before + instance.bytes.byteLength);
    }
    progress.stop();
    out.line(
      `C-STORE: ${instances.length} instance(s), ${(total / 1000).toFixed(0)} kB, into the repository in ${progress.seconds.toFixed(1)} s`,
    );
  } finally {
    await client.release();
  }
}

/** Initiate and follow the production to its terminal event (PS3.4 KK.2.3.2). */
async function requestInventory(
  out: Output,
  io: CommandIo,
  port: number,
  options: DemoOptions,
): Promise<InventoryResult> {
  const scu = createInventoryScu({ aeTitle: SCU });
  let transaction: InventoryTransaction | undefined;
  try {
    out.line(
      `Inventory Creation: requesting the inventory of every study at ${options.level} level`,
    );
    transaction = await scu.initiate({
      peer: { host: HOST, port, calledAeTitle: SCP },
      level: options.level,
      purpose: 'dicomnet demo',
      signal: io.interrupted,
    });
    out.line(`Inventory Creation: transaction ${transaction.transactionUid} accepted`);
    // A production of a few studies takes a fraction of a second: its events, not a live line.
    for await (const event of transaction.events())
      if (event.type !== 'status') out.line(describeEvent(event));
    return await transaction.done;
  } finally {
    await transaction?.release(); // the SCU's close() does not release it
    await scu.close();
  }
}

/** Runs `dicomnet demo`. */
export async function runDemo(io: CommandIo, options: DemoOptions): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const dir = await mkdtemp(path.join(tmpdir(), 'dicomnet-demo-'));
  const started = performance.now();
  let server: InProcessServer | undefined;
  try {
    server = await startServer(
      path.join(dir, 'repository'),
      options.maxRecordsPerInstance,
      (event) => {
        if (event.event === 'inventory-state')
          out.line(
            `  server: inventory ${String(event.state)}, ${String(event.studyRecords)} study record(s)`,
          );
      },
    );
    out.line(
      `dicomnet serve ${SCP} listening on ${HOST}:${server.port}, repository in ${path.join(dir, 'repository')}`,
    );
    const instances = makeDemoStudies(options.studies);
    await storeStudies(out, io, server.port, instances);
    const result = await requestInventory(out, io, server.port, options);
    const records: InventoryRecord[] = [];
    let treeInstances = 0;
    for await (const item of retrieveInventory({
      host: HOST,
      port: server.port,
      callingAeTitle: SCU,
      calledAeTitle: SCP,
      root: result.access.sopInstanceUid,
      via: 'get',
      ...(options.keep && { dir: path.join(dir, 'inventory') }),
      signal: io.interrupted,
    })) {
      if (item.kind === 'end') treeInstances++;
      else if (item.kind !== 'header') records.push(item);
    }
    // A study or series split over several Inventory instances has a record in each of them.
    const count = (kind: InventoryRecord['kind']): number =>
      new Set(records.filter((record) => record.kind === kind).map((record) => recordKey(record)))
        .size;
    out.line(
      `Inventory GET: ${treeInstances} Inventory instance(s) (at most ${options.maxRecordsPerInstance} records each): ${count('study')} studies, ${count('series')} series, ${count('instance')} instances`,
    );
    for (const record of records.slice(0, SAMPLE_RECORDS)) out.line(`  ${recordLine(record)}`);
    if (records.length > SAMPLE_RECORDS) out.line(`  … ${records.length - SAMPLE_RECORDS} more`);
    const differences = compareWithStored(instances, records, options.level);
    const studies = new Set(instances.map((instance) => instance.studyInstanceUid)).size;
    const series = new Set(instances.map((instance) => instance.seriesInstanceUid)).size;
    if (differences.length === 0)
      out.line(
        `check: the inventory lists exactly what was stored (${studies} studies, ${series} series, ${instances.length} instances at ${options.level} level), in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    else for (const difference of differences) out.warn(`check: ${difference}`);
    out.result({
      ok: differences.length === 0,
      transactionUid: result.transactionUid,
      root: result.access.sopInstanceUid,
      level: options.level,
      stored: { studies, series, instances: instances.length },
      listed: { study: count('study'), series: count('series'), instance: count('instance') },
      inventoryInstances: treeInstances,
      differences,
    });
    io.setExitCode(differences.length === 0 ? ExitCode.Ok : ExitCode.Failed);
  } catch (error) {
    out.warn(`dicomnet demo: ${io.interrupted.aborted ? 'interrupted' : (error as Error).message}`);
    out.result({
      ok: false,
      error: { code: (error as { code?: string }).code, message: (error as Error).message },
    });
    io.setExitCode(exitCodeFor(error));
  } finally {
    await server?.stop();
    if (!options.keep) await rm(dir, { recursive: true, force: true });
    else out.line(`kept ${dir}`);
  }
}
