/**
 * Entry point of the C-ECHO child of the inventory benchmark (dist/inventory-echo.js): another
 * process that keeps asking the serving SCP for C-ECHO (one at a time, a pause between them) on
 * one association while an inventory is produced, and reports the round trips. It also records
 * its own event-loop delay: a process with next to nothing to do, whose delay is what the machine's
 * scheduler adds (other processes on the cores), the floor under the serving process's. Argument
 * 1 is the EchoConfig as JSON; it answers over the IPC channel (inventory-messages.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@dicomnet/dimse';
import type { EchoConfig, FromEcho, ToEcho } from './inventory-messages.js';
import { percentile } from './percentile.js';

const VERIFICATION = '1.2.840.10008.1.1';
const SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];
/** As the serving child's histogram (inventory-serve-process.ts). */
const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

function send(message: FromEcho): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as EchoConfig; // written by the benchmark
  const client = await connect({
    host: '127.0.0.1',
    port: config.port,
    callingAeTitle: 'BENCHECHO',
    calledAeTitle: config.calledAeTitle,
    contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: SYNTAXES }],
  });
  await client.echo(); // the association works before the parent starts timing
  let stopping = false;
  process.once('message', (message: ToEcho) => {
    if (message.type === 'stop') stopping = true;
  });
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  send({ type: 'ready' });
  const roundTrips: number[] = [];
  while (!stopping) {
    const started = process.hrtime.bigint();
    await client.echo();
    roundTrips.push(Number(process.hrtime.bigint() - started) / 1e6);
    await sleep(config.intervalMs);
  }
  delay.disable();
  await client.release();
  send({
    type: 'stopped',
    count: roundTrips.length,
    p50Ms: percentile(roundTrips, 50),
    p99Ms: percentile(roundTrips, 99),
    maxMs: Math.max(...roundTrips),
    ownEventLoop: {
      p50Ms: delay.percentile(50) / NS_PER_MS,
      p99Ms: delay.percentile(99) / NS_PER_MS,
      maxMs: delay.max / NS_PER_MS,
    },
  });
  process.disconnect();
}

function fail(error: unknown): void {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect();
}

main().catch(fail);
