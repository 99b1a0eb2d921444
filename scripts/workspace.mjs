// What the README's two commands (`npm run demo`, `npm test`) share: check Node, find the pinned
// pnpm (installed, or through npx from the npm registry), install the workspace's dependencies.
// Node built-ins only: these run before anything is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
/** The pnpm version of the root manifest's `packageManager` field, e.g. `10.34.9`. */
export const PNPM_VERSION = manifest.packageManager.replace(/^pnpm@/, '');
const MIN_NODE = manifest.engines.node.replace(/^>=/, '');

/** Prints a line prefixed with the script's name, on stderr so that stdout stays the job's. */
export function say(name, message) {
  process.stderr.write(`[${name}] ${message}\n`);
}

/** Exits with a message unless this Node is at least the root manifest's `engines.node`. */
export function requireNode(name) {
  const have = process.versions.node.split('.').map(Number);
  const need = MIN_NODE.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) > need[i]) return;
    if ((have[i] ?? 0) < need[i]) {
      say(name, `Node ${MIN_NODE} or newer is needed; this is ${process.versions.node}`);
      process.exit(1);
    }
  }
}

/**
 * The command that runs the pinned pnpm: `pnpm` when that version is on PATH, otherwise
 * `npx -y pnpm@VERSION`, which fetches it from the npm registry once and puts it on the PATH of
 * what it runs (turbo starts each package's script with it).
 */
export function pnpmCommand() {
  const installed = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (installed.status === 0 && installed.stdout.trim() === PNPM_VERSION) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

/** Runs a command in the repository with inherited output; exits with its status on failure. */
export function run(name, command, { env } = {}) {
  const [program, ...args] = command;
  const result = spawnSync(program, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.error) {
    say(name, `${program}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Installs the workspace's dependencies from the lockfile (quick when they already are). */
export function installDependencies(name, pnpm) {
  run(name, [...pnpm, 'install', '--frozen-lockfile', '--reporter=silent']);
}
