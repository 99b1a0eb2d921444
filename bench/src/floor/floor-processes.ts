/**
 * Starts the floor processes (floor-receiver-, floor-get- and floor-echo-process.ts), built by tsup
 * into bench/dist beside this module's chunk. They run under the runner's own Node
 * (`process.execPath`), so a run under Node 24 measures Node 24's floor.
 */
import { fileURLToPath } from 'node:url';
import type { Storescp } from '../dimse/dcmtk.js';
import { startServerProcess, timeTool } from '../dimse/dcmtk.js';

const RECEIVER = fileURLToPath(new URL('floor-receiver.js', import.meta.url));
const GET = fileURLToPath(new URL('floor-get.js', import.meta.url));
const ECHO = fileURLToPath(new URL('floor-echo.js', import.meta.url));

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
export function runFloorGet(
  port: number,
  calledAeTitle: string,
  dir: string,
  uids: { readonly study: string; readonly series: string },
  plain: boolean,
): Promise<FloorGet> {
  const args = [String(port), calledAeTitle, dir, uids.study, uids.series];
  return runFloorScu<FloorGet>(GET, plain ? [...args, 'plain'] : args);
}

/** What one floor C-ECHO run reported: `count` round trips timed, after one untimed. */
export interface FloorEcho {
  readonly seconds: number;
  readonly cpuMicros: number;
}

/** Runs the floor C-ECHO SCU once: `count` echoes to `port`, one after the other. */
export function runFloorEcho(port: number, count: number): Promise<FloorEcho> {
  return runFloorScu<FloorEcho>(ECHO, [String(port), String(count)]);
}

/** Runs a floor SCU to its end and returns the JSON line it printed. */
async function runFloorScu<T>(entry: string, args: readonly string[]): Promise<T> {
  const { stdout } = await timeTool(process.execPath, [entry, ...args], { stdout: true });
  return JSON.parse(stdout) as T;
}
