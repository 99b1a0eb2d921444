/**
 * Entry point of the serving child of the inventory benchmark (dist/inventory-serve.js): a
 * FileRepository served by the Inventory Creation SCP (repositorySource into repositorySink) and
 * Verification, as `dicomnet serve` would. Argument 1 is the ServeConfig as JSON; it answers over
 * the IPC channel (inventory-messages.ts). While measured it records its event-loop delay
 * (perf_hooks.monitorEventLoopDelay) and its CPU time; at close, its peak RSS.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServer } from '@dicomnet/dimse';
import { FileRepository } from '@dicomnet/repository';
import {
  createInventoryCreationScp,
  repositorySink,
  repositorySource,
} from '@dicomnet/storage-management';
import type { FromServe, ServeConfig, ToServe } from './inventory-messages.js';

const VERIFICATION = '1.2.840.10008.1.1';
const SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];
/** Histogram resolution: finer than the 50 ms goal, coarse enough to cost nothing. */
const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

function send(message: FromServe): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ServeConfig; // written by the benchmark
  const repository = await FileRepository.open({ root: config.root, fsync: config.fsync });
  const scp = await createInventoryCreationScp({
    aeTitle: config.aeTitle,
    source: repositorySource(repository),
    sink: repositorySink(repository),
    storePath: config.storePath,
  });
  const failures: string[] = [];
  scp.on((notice) => {
    if (notice.type === 'failure') failures.push(String(notice.error));
  });
  const server = createServer({
    aeTitles: [config.aeTitle],
    contexts: [...scp.contexts, { abstractSyntax: VERIFICATION, transferSyntaxes: SYNTAXES }],
    handlers: scp.handlers,
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let cpuStart = process.cpuUsage();

  process.on('message', (message: ToServe) => {
    if (message.type === 'measure-start') {
      delay.reset();
      delay.enable();
      cpuStart = process.cpuUsage();
      send({ type: 'measuring' });
    } else if (message.type === 'measure-stop') {
      delay.disable();
      const cpu = process.cpuUsage(cpuStart);
      if (failures.length > 0) {
        fail(new Error(`the SCP reported failures: ${failures.join('; ')}`));
        return;
      }
      send({
        type: 'measured',
        eventLoop: {
          p50Ms: delay.percentile(50) / NS_PER_MS,
          p99Ms: delay.percentile(99) / NS_PER_MS,
          maxMs: delay.max / NS_PER_MS,
        },
        cpuMicros: cpu.user + cpu.system,
      });
    } else {
      void (async () => {
        await server.close();
        await scp.close();
        await repository.close();
        // resourceUsage().maxRSS is in KiB.
        send({ type: 'closed', peakRssBytes: process.resourceUsage().maxRSS * 1024 });
        process.disconnect();
      })().catch(fail);
    }
  });
  send({ type: 'listening', port, idleRssBytes: process.memoryUsage.rss() });
}

function fail(error: unknown): void {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect();
}

main().catch(fail);
