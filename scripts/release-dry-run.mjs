#!/usr/bin/env node
// Proves the release flow without publishing and without touching this checkout:
//   1. a throw-away clone of HEAD in a temp folder (`git clone --shared`: it borrows this
//      repository's objects read-only, so nothing here changes, not even .git/worktrees),
//   2. `pnpm install --frozen-lockfile --offline` there (the store is already filled),
//   3. `pnpm changeset status` and `pnpm changeset version` (bumps versions, writes changelogs),
//   4. `pnpm build`, then `pnpm publish -r --dry-run --no-git-checks --access public`,
//   5. the temp folder is removed, also on failure.
// Committed state only: uncommitted changesets are not part of the run (a warning says so).
// Usage: node scripts/release-dry-run.mjs   (or `pnpm release:dry-run`). Node built-ins only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEP_TIMEOUT_MS = 15 * 60_000;
// The environment of `pnpm release:dry-run` carries pnpm's npm_config_* settings; the commands
// below start fresh (npm would warn about each one it does not know). The registry stays.
const CHILD_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !key.toLowerCase().startsWith('npm_') || key.toLowerCase() === 'npm_config_registry',
  ),
);

function log(message) {
  console.log(`[release-dry-run] ${message}`);
}

/** Runs a command with inherited output; returns whether it exited 0. */
function run(command, args, cwd) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd,
    env: CHILD_ENV,
    stdio: 'inherit',
    timeout: STEP_TIMEOUT_MS,
  });
  if (result.error) log(`${command}: ${result.error.message}`);
  return result.status === 0;
}

function mustRun(command, args, cwd) {
  if (!run(command, args, cwd)) throw new Error(`failed: ${command} ${args.join(' ')}`);
}

function capture(command, args, cwd) {
  const result = spawnSync(command, args, {
    cwd,
    env: CHILD_ENV,
    encoding: 'utf8',
    timeout: STEP_TIMEOUT_MS,
  });
  if (result.status !== 0)
    throw new Error(`failed: ${command} ${args.join(' ')}\n${result.stderr}`);
  return result.stdout.trim();
}

/** name@version of every public package under packages/ of `repo`. */
function publicVersions(repo) {
  const dir = path.join(repo, 'packages');
  const versions = new Map();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, entry.name, 'package.json'), 'utf8'));
      if (manifest.private !== true) versions.set(manifest.name, manifest.version);
    } catch {
      // A folder without package.json is not a package.
    }
  }
  return versions;
}

function main() {
  const head = capture('git', ['rev-parse', 'HEAD'], ROOT);
  const dirty = capture(
    'git',
    ['status', '--porcelain', '--untracked-files=all', '--', '.changeset', 'packages'],
    ROOT,
  );
  if (dirty !== '')
    log('note: uncommitted changes under .changeset/ or packages/ are not part of this dry run');

  const temp = mkdtempSync(path.join(os.tmpdir(), 'dicomnet-release-dry-run-'));
  const repo = path.join(temp, 'repo');
  const cleanup = () => rmSync(temp, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  try {
    log(`copy of ${head.slice(0, 12)} in ${repo}`);
    mustRun('git', ['clone', '--quiet', '--shared', '--no-checkout', ROOT, repo], ROOT);
    mustRun(
      'git',
      ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', head],
      repo,
    );
    if (!run('pnpm', ['install', '--frozen-lockfile', '--offline'], repo)) {
      log('offline install failed (store incomplete?); retrying with --prefer-offline');
      mustRun('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], repo);
    }
    const before = publicVersions(repo);

    // `status` compares HEAD with the base branch; informative here, so a non-zero exit
    // (e.g. changed packages without a changeset) is reported, not fatal.
    if (!run('pnpm', ['changeset', 'status', '--verbose'], repo))
      log('warning: changeset status exited non-zero');
    mustRun('pnpm', ['changeset', 'version'], repo);
    const after = publicVersions(repo);
    const bumps = [...after].filter(([name, version]) => before.get(name) !== version);
    if (bumps.length === 0) log('no pending changesets: versions unchanged');
    for (const [name, version] of bumps)
      log(`version: ${name} ${before.get(name) ?? '(new)'} -> ${version}`);
    run('git', ['status', '--short'], repo);

    mustRun('pnpm', ['build'], repo);
    mustRun('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks', '--access', 'public'], repo);
    log(
      `ok: ${after.size} public package(s) would publish; nothing was published and this checkout is untouched`,
    );
    return 0;
  } finally {
    cleanup();
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`[release-dry-run] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
