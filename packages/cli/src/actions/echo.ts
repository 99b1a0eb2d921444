import { connect, VERIFICATION_SOP_CLASS } from '@dicomnet/dimse';
import type { CommandIo } from '../command-io.js';
import type { EchoOptions } from '../commands/echo.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { peerOptions, reportedError } from './peer-options.js';

const TRANSFER_SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];

/** Round-trip times of the echoes sent, in milliseconds. */
export interface EchoSummary {
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Count, minimum, median (mean of the middle two for an even count) and maximum. */
export function summarize(times: readonly number[]): EchoSummary {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? Number.NaN
      : sorted.length % 2 === 1
        ? (sorted[middle] ?? Number.NaN)
        : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

function milliseconds(value: number): string {
  return value.toFixed(1);
}

// process.hrtime rather than performance.now(): the first use of the `performance` global loads
// perf_hooks, 1-2 ms of a start-up this command tries to keep short.
function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/** Runs `dicomnet echo`: C-ECHO `repeat` times on one association (PS3.7 9.1.5). */
export async function runEcho(
  io: CommandIo,
  host: string,
  peerPort: number,
  options: EchoOptions,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const started = process.hrtime.bigint();
  const times: number[] = [];
  try {
    const client = await connect({
      ...(await peerOptions(host, peerPort, options)),
      contexts: [{ abstractSyntax: VERIFICATION_SOP_CLASS, transferSyntaxes: TRANSFER_SYNTAXES }],
      signal: io.interrupted,
    });
    try {
      for (let i = 0; i < options.repeat && !io.interrupted.aborted; i++) {
        const before = process.hrtime.bigint();
        const result = await client.echo();
        const elapsed = elapsedMs(before);
        times.push(elapsed);
        if (options.verbose) {
          out.line(
            `C-ECHO ${i + 1}/${options.repeat}: ${result.meaning} (${milliseconds(elapsed)} ms)`,
          );
        }
      }
    } finally {
      await client.release();
    }
    const total = elapsedMs(started);
    const summary = summarize(times);
    out.line(
      `${summary.count} echo(es) to ${options.called} at ${host}:${peerPort} in ${total.toFixed(0)} ms: ` +
        `min ${milliseconds(summary.min)}, median ${milliseconds(summary.median)}, max ${milliseconds(summary.max)} ms`,
    );
    out.result({
      ok: true,
      host,
      port: peerPort,
      calledAeTitle: options.called,
      echoes: times.length,
      summary,
      milliseconds: times,
    });
    io.setExitCode(ExitCode.Ok);
  } catch (caught) {
    const error = await reportedError(caught, host, peerPort, options);
    const message = error instanceof Error ? error.message : String(error);
    out.warn(`dicomnet echo: ${message}`);
    out.result({
      ok: false,
      error: { code: (error as { code?: string }).code, message },
      echoes: times.length,
    });
    io.setExitCode(exitCodeFor(error));
  }
}
