import { PassThrough } from 'node:stream';
import { main } from '../src/main.js';

/** Runs the command line in this process and captures what it printed. */
export async function runCli(
  argv: readonly string[],
  options: { readonly interrupted?: AbortSignal } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await main(argv, {
    stdout,
    stderr,
    isTty: false,
    interrupted: options.interrupted ?? new AbortController().signal,
    setExitCode: () => {},
  });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
