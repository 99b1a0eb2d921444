import { spawn } from 'node:child_process';
import { BoundedOutput } from './bounded-output.js';
import { isSpawnNotFound, PeerToolMissingError } from './peer-errors.js';

/** Default bound on a one-shot tool run. */
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_TOOL_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Options of {@link runTool}. */
export interface RunToolOptions {
  /** Kill the tool (SIGKILL) after this long; default {@link DEFAULT_TOOL_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Working folder; default: this process's. */
  readonly cwd?: string;
  /** Variables laid over `process.env` and `TCP_NODELAY=1`; `undefined` removes a key. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Cap on each of stdout and stderr (last bytes win); default 4 MiB. */
  readonly maxOutputBytes?: number;
}

/** What a one-shot tool did. DCMTK tools log to stderr; findscu answers go there too. */
export interface ToolResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True if the run was killed because it outlived `timeoutMs`. */
  readonly timedOut: boolean;
}

/**
 * Runs a one-shot DCMTK SCU or utility (echoscu, storescu, findscu, dcmsend, dcmdump…) with
 * `TCP_NODELAY=1` and returns its exit status and output; it never rejects on a non-zero exit,
 * so tests can assert on expected failures. Give network tools `-to/-ta/-td` as well.
 * @throws {@link PeerToolMissingError} if the program is not installed.
 */
export function runTool(
  command: string,
  args: readonly string[] = [],
  options: RunToolOptions = {},
): Promise<ToolResult> {
  const stdout = new BoundedOutput(options.maxOutputBytes ?? DEFAULT_MAX_TOOL_OUTPUT_BYTES);
  const stderr = new BoundedOutput(options.maxOutputBytes ?? DEFAULT_MAX_TOOL_OUTPUT_BYTES);
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, TCP_NODELAY: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(isSpawnNotFound(error) ? new PeerToolMissingError(command) : error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stdout.text(), stderr: stderr.text(), timedOut });
    });
  });
}
