/**
 * Starts the floor processes (floor-receiver-process.ts, floor-get-process.ts), built by tsup
 * into bench/dist beside this module's chunk. They run under the runner's own Node
 * (`process.execPath`), so a run under Node 24 measures Node 24's floor.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Storescp } from '../dimse/dcmtk.js';
import { startServerProcess } from '../dimse/dcmtk.js';

const RECEIVER = fileURLToPath(new URL('floor-receiver.js', import.meta.url));
const GET = fileURLToPath(new URL('floor-get.js', import.meta.url));

/** The floor receiver writing into `dir`, with one `fdatasync` per file when `sync`. */
export function startFloorReceiver(dir: string, sync = false): Promise<Storescp> {
  return startServerProcess(process.execPath, (port) => [
    RECEIVER,
    String(port),
    dir,
    ...(sync ? ['sync'] : []),
  ]);
}

/** What one floor C-GET reported: timed from its request to the final response. */
export interface FloorGet {
  readonly seconds: number;
  readonly cpuMicros: number;
  readonly status: number;
  readonly written: number;
}

/**
 * Runs the floor C-GET SCU once: the series `study`/`series` from `port` into `dir`, each file
 * renamed into place, or written straight under its name when `plain`.
 */
export async function runFloorGet(
  port: number,
  calledAeTitle: string,
  dir: string,
  uids: { readonly study: string; readonly series: string },
  plain: boolean,
): Promise<FloorGet> {
  const args = [GET, String(port), calledAeTitle, dir, uids.study, uids.series];
  const child = spawn(process.execPath, [...args, ...(plain ? ['plain'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== 0) throw new Error(`floor C-GET exited with ${code}: ${stderr.slice(-2000)}`);
  return JSON.parse(stdout) as FloorGet;
}
