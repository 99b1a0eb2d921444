/**
 * DCMTK 3.6.7 for the DIMSE benchmarks: storescp as a server on a free port, and echoscu/storescu
 * runs timed as whole processes. Every DCMTK process gets TCP_NODELAY=1 (PEERS.md §0.1: without
 * it Debian's build leaves Nagle on and a round trip waits for the 40 ms delayed-ACK timer).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { now, secondsSince } from '../measure.js';

/** The environment of every DCMTK process. */
const DCMTK_ENV: NodeJS.ProcessEnv = { ...process.env, TCP_NODELAY: '1' };

/** Connect, association and DIMSE timeouts given to every DCMTK SCU (PEERS.md §4.3). */
export const SCU_TIMEOUTS: readonly string[] = ['-to', '10', '-ta', '10', '-td', '120'];

/** How long one tool run may take before it is killed. */
const TOOL_TIMEOUT_MS = 300_000;

/** Keeps the last few KiB of a stream, for error messages. */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-4096);
  });
  return () => text;
}

/** A finished tool run. */
export interface ToolRun {
  /** Wall time from spawn to exit, process start and exit included. */
  readonly seconds: number;
  /** What it printed on stdout, when asked for (`stdout: true`); '' otherwise. */
  readonly stdout: string;
}

/**
 * Runs a DCMTK tool (or any command) and times it as a whole process; with `stdout`, also
 * returns what it printed.
 * @throws if it exits with a code other than 0 (its stderr in the message) or overruns.
 */
export async function timeTool(
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly stdout?: boolean } = {},
): Promise<ToolRun> {
  const start = now();
  const child = spawn(command, args, {
    env: DCMTK_ENV,
    stdio: ['ignore', options.stdout === true ? 'pipe' : 'ignore', 'pipe'],
    ...(options.cwd !== undefined && { cwd: options.cwd }),
  });
  const stderr = tail(child);
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close' waits for the output read to its end; a timed run without it ends at 'exit'.
    child.once(options.stdout === true ? 'close' : 'exit', (exitCode: number | null) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const seconds = secondsSince(start);
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr()}`);
  }
  return { seconds, stdout };
}

/** A free TCP port on 127.0.0.1 (DCMTK servers cannot listen on port 0, PEERS.md §0.2). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo; // a TCP listener's address is an object
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls with echoscu until the server at `port` answers C-ECHO (PEERS.md §4.2), for at most
 * `timeoutMs` and while `alive()` says the server process still runs.
 */
export async function waitForEcho(
  port: number,
  timeoutMs = 10_000,
  alive: () => boolean = () => true,
): Promise<void> {
  const start = now();
  for (;;) {
    try {
      await timeTool('echoscu', [
        '-q',
        '-to',
        '1',
        '-ta',
        '2',
        '-td',
        '2',
        '127.0.0.1',
        String(port),
      ]);
      return;
    } catch (error) {
      if (!alive() || secondsSince(start) * 1000 > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A running storescp (or another server process started as one). */
export interface Storescp {
  readonly port: number;
  /** Its CPU time so far (user + system, from /proc/<pid>/stat, 10 ms ticks), in µs. */
  cpuMicros(): Promise<number>;
  /** Kills it (SIGTERM) and reports its peak RSS (VmHWM of /proc/<pid>/status), in bytes. */
  stop(): Promise<{ readonly peakRssBytes: number }>;
}

/**
 * Starts `storescp -od <outputDir> <port>` on a free port and waits until it answers C-ECHO.
 * storescp writes each instance with plain write() calls and never fsyncs.
 */
export async function startStorescp(outputDir: string): Promise<Storescp> {
  await mkdir(outputDir, { recursive: true });
  return startServerProcess('storescp', (port) => ['-od', outputDir, String(port)]);
}

/**
 * Starts `command` with the arguments made for a free port (a DCMTK server, or a Node reference
 * process) and waits until it answers C-ECHO there.
 */
export async function startServerProcess(
  command: string,
  argsFor: (port: number) => string[],
): Promise<Storescp> {
  const port = await freePort();
  const child = spawn(command, argsFor(port), {
    env: DCMTK_ENV,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = tail(child);
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  child.once('error', () => undefined); // reported through waitForEcho failing
  try {
    await waitForEcho(port, 10_000, () => running);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${command} did not come up on ${port}: ${stderr()}`, { cause: error });
  }
  return {
    port,
    cpuMicros: () => cpuMicrosOf(child.pid),
    async stop() {
      const peakRssBytes = await peakRssOf(child.pid);
      child.kill('SIGTERM');
      await exited;
      return { peakRssBytes };
    },
  };
}

/** VmHWM (peak resident set) of a running process, in bytes; NaN if unreadable. */
export async function peakRssOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** User + system CPU time of a running process, in µs; NaN if unreadable. */
async function cpuMicrosOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / USER_HZ) * 1e6;
  } catch {
    return Number.NaN;
  }
}

/** `storescu v3.6.7 2022-04-22`: the first line of `storescu --version`, or `unknown`. */
export async function dcmtkVersion(): Promise<string> {
  const child = spawn('storescu', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (text += chunk));
  await new Promise<void>((resolve) => {
    child.once('error', () => resolve());
    child.once('close', () => resolve());
  });
  return /storescu v[\d.]+ [\d-]+/.exec(text)?.[0] ?? 'unknown';
}
