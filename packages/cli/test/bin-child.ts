// The built command (dist/bin.js) in a child process, as users run it: one run to its exit, or
// `dicomnet serve --json` kept running with its JSON log lines as they come.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@dicomnet/test-utils';

/** The built command. */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** How a run ended and what it printed. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built command; `whileRunning` may send it SIGINT. Killed if it runs 60 s. */
export async function dicomnet(
  args: readonly string[],
  whileRunning?: (interrupt: () => void) => Promise<void>,
): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    if (whileRunning !== undefined) await whileRunning(() => child.kill('SIGINT'));
    return { code: await exited, stdout, stderr };
  } finally {
    clearTimeout(killer);
  }
}

/** One JSON line of `serve --json`. */
export type ServeLine = { event?: string; kind?: string; [key: string]: unknown };

/** A running `dicomnet serve`, its log lines so far, and its exit. */
export interface Serving {
  readonly child: ChildProcess;
  readonly port: number;
  readonly log: () => ServeLine[];
  readonly exited: Promise<number | null>;
}

/** Options of {@link startServe}. */
export interface StartServeOptions {
  /** Default a free port. */
  readonly port?: number;
  /** SIGKILL after this long, so that no test leaves a process behind; default 55 s. */
  readonly killAfterMs?: number;
}

/**
 * Starts `dicomnet serve --port P --aet ARCHIVE --json …args` and waits (at most 15 s) for its
 * `listening` line.
 * @throws when it exits or stays silent first, with what it printed.
 */
export async function startServe(
  args: readonly string[],
  options: StartServeOptions = {},
): Promise<Serving> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--aet', 'ARCHIVE', '--json', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 55_000);
  void exited.then(() => clearTimeout(killer));
  const log = (): ServeLine[] =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as ServeLine);
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (log().some((line) => line.event === 'listening')) resolve(true);
      };
      child.stdout.on('data', check);
      check();
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000).unref()),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`serve did not start: ${stderr}${stdout}`);
  }
  return { child, port, log, exited };
}

/** Stops it with SIGTERM and returns its exit code (undefined when there is none to stop). */
export async function stopServe(serving: Serving | undefined): Promise<number | null | undefined> {
  if (serving === undefined) return undefined;
  serving.child.kill('SIGTERM');
  return serving.exited;
}
