#!/usr/bin/env node
// Installs every public package the way a user would, from its packed tarball, and checks that it
// loads: `pnpm pack` each package (workspace: ranges must be rewritten), then per package a
// scratch npm project installs only that tarball and its @dicomnet dependencies' tarballs, and
// runs `import`, `require` (dual packages), a TypeScript check of both resolution modes, and
// `<bin> --help` for packages with a bin, three packages at a time. Prints a table; exits 1 on
// any failure.
// Usage: node scripts/check-pack.mjs   (or `pnpm check:pack`). Node built-ins only.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TYPE_ROOTS = path.join(ROOT, 'node_modules', '@types');
const SCOPE = '@dicomnet/';
const STEP_TIMEOUT_MS = 5 * 60_000;
// npm settings worth keeping from the environment; pnpm's own npm_config_* would confuse npm.
const NPM_ENV_KEPT = new Set([
  'npm_config_registry',
  'npm_config_cache',
  'npm_config_userconfig',
  'npm_config_globalconfig',
]);
const NPM_ENV_KEPT_PREFIXES = [
  'npm_config_proxy',
  'npm_config_https_proxy',
  'npm_config_noproxy',
  'npm_config_cafile',
];

/** Packages checked at once: each is mostly an npm install and a tsc run, one core apiece. */
const CONCURRENCY = 3;

/** Runs a command to completion; never rejects on a non-zero exit. */
function run(command, args, { cwd = ROOT, env = process.env, inherit = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env,
      timeout: STEP_TIMEOUT_MS,
      stdio: inherit ? 'inherit' : 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text) => (stderr += text));
    let failure = '';
    child.once('error', (error) => (failure = String(error)));
    child.once('close', (status) =>
      resolve({ ok: status === 0, status, stdout, output: `${stdout}${stderr}${failure}`.trim() }),
    );
  });
}

/** Maps `items` through `work`, at most {@link CONCURRENCY} at a time, results in order. */
async function mapConcurrently(items, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++)
      results[index] = await work(items[index]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

function npmEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (!lower.startsWith('npm_')) env[key] = value;
    else if (
      NPM_ENV_KEPT.has(lower) ||
      NPM_ENV_KEPT_PREFIXES.some((prefix) => lower.startsWith(prefix))
    )
      env[key] = value;
  }
  return env;
}

/** The non-private workspace packages under packages/. */
function listPackages() {
  const packagesDir = path.join(ROOT, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(path.join(packagesDir, entry.name, 'package.json')),
    )
    .map((entry) => {
      const dir = path.join(packagesDir, entry.name);
      return { dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) };
    })
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** Every file the manifest points at (exports targets, main, types, bin). */
function entryFiles(manifest) {
  const files = [];
  const collect = (value) => {
    if (typeof value === 'string') files.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  collect(manifest.main);
  collect(manifest.types);
  collect(manifest.bin);
  return files.filter((file) => !file.includes('*') && !file.endsWith('package.json'));
}

function missingEntries(pkg) {
  return entryFiles(pkg.manifest).filter((file) => !existsSync(path.join(pkg.dir, file)));
}

/** Builds all packages once if any package's dist is missing. */
async function ensureBuilt(packages) {
  if (packages.every((pkg) => missingEntries(pkg).length === 0)) return;
  console.log('[check-pack] a dist is missing: pnpm -r --filter ./packages/* build');
  const build = await run('pnpm', ['-r', '--filter', './packages/*', 'build'], { inherit: true });
  if (!build.ok) throw new Error('build failed');
  for (const pkg of packages) {
    const missing = missingEntries(pkg);
    if (missing.length > 0)
      throw new Error(`${pkg.manifest.name}: still missing after build: ${missing.join(', ')}`);
  }
}

/** The text of package/package.json inside a .tgz (ustar, as npm and pnpm write it). */
function packedManifest(tarball) {
  const tar = gunzipSync(readFileSync(tarball));
  const text = (start, length) => tar.toString('utf8', start, start + length).replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= tar.length;) {
    const name = text(offset, 100);
    if (name === '') break; // end-of-archive block
    const size = Number.parseInt(text(offset + 124, 12).trim() || '0', 8);
    const prefix = text(offset + 345, 155);
    const fullName = prefix === '' ? name : `${prefix}/${name}`;
    if (fullName === 'package/package.json')
      return tar.toString('utf8', offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${tarball} has no package/package.json`);
}

async function pack(pkg, destination) {
  mkdirSync(destination, { recursive: true });
  const result = await run('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir });
  if (!result.ok) throw new Error(`pnpm pack failed:\n${result.output}`);
  const tarballs = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== 1)
    throw new Error(`pnpm pack left ${tarballs.length} tarballs in ${destination}`);
  return path.join(destination, tarballs[0]);
}

/** The package and its @dicomnet runtime dependencies, transitively. */
function dependencyClosure(name, byName) {
  const seen = new Set();
  const visit = (current) => {
    if (seen.has(current)) return;
    seen.add(current);
    const manifest = byName.get(current)?.manifest;
    if (!manifest) throw new Error(`${current} is not a public workspace package`);
    const deps = { ...manifest.dependencies, ...manifest.peerDependencies };
    Object.keys(deps)
      .filter((dep) => dep.startsWith(SCOPE))
      .forEach(visit);
  };
  visit(name);
  return [...seen];
}

function hasImportEntry(manifest) {
  return manifest.exports !== undefined || manifest.main !== undefined;
}

/** Whether `require()` of the package is meant to work. CLI packages (with a bin) are ESM only. */
function supportsRequire(manifest) {
  if (manifest.bin !== undefined) return false;
  const isCjsFile = (file) =>
    file.endsWith('.cjs') || (file.endsWith('.js') && manifest.type !== 'module');
  const dot =
    typeof manifest.exports === 'object' && manifest.exports !== null && '.' in manifest.exports
      ? manifest.exports['.']
      : manifest.exports;
  if (typeof dot === 'string') return isCjsFile(dot);
  if (dot && typeof dot === 'object')
    return 'require' in dot || (typeof dot.default === 'string' && isCjsFile(dot.default));
  return typeof manifest.main === 'string' && isCjsFile(manifest.main);
}

function binNames(manifest) {
  if (typeof manifest.bin === 'string') return [manifest.name.replace(/^@[^/]+\//, '')];
  return Object.keys(manifest.bin ?? {});
}

const IGNORED_KEYS = new Set(['default', '__esModule']);

async function importKeys(name, cwd) {
  const script = `const m = await import(${JSON.stringify(name)}); process.stdout.write(JSON.stringify(Object.keys(m)));`;
  const result = await run(process.execPath, ['--input-type=module', '-e', script], { cwd });
  if (!result.ok) return { error: result.output };
  return {
    keys: JSON.parse(result.stdout)
      .filter((key) => !IGNORED_KEYS.has(key))
      .sort(),
  };
}

async function requireKeys(name, cwd) {
  const script = `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(name)}))));`;
  const result = await run(process.execPath, ['-e', script], { cwd });
  if (!result.ok) return { error: result.output };
  return {
    keys: JSON.parse(result.stdout)
      .filter((key) => !IGNORED_KEYS.has(key))
      .sort(),
  };
}

/** Compiles files that touch every runtime export, so a runtime export missing from the types fails. */
async function typeCheck(name, keys, extensions, cwd) {
  const access = keys.map((key) =>
    /^[A-Za-z_$][\w$]*$/.test(key) ? `m.${key}` : `m[${JSON.stringify(key)}]`,
  );
  const body = `import * as m from ${JSON.stringify(name)};\nexport const seen: unknown[] = [${access.join(', ')}];\n`;
  const files = extensions.map((extension) => {
    writeFileSync(path.join(cwd, `check.${extension}`), body);
    return `check.${extension}`;
  });
  const args = [
    TSC,
    '--noEmit',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--strict',
  ];
  args.push('--types', 'node', '--typeRoots', TYPE_ROOTS, ...files);
  const result = await run(process.execPath, args, { cwd });
  return result.ok ? undefined : result.output;
}

/** Every check for one package in its own scratch project; returns the table row. */
async function checkPackage(pkg, tarballs, byName, scratchRoot) {
  const { name } = pkg.manifest;
  const row = {
    name,
    version: pkg.manifest.version,
    workspace: 'ok',
    esm: '-',
    cjs: '-',
    types: '-',
    bin: '-',
  };
  const failures = [];
  const fail = (column, message) => {
    row[column] = 'FAIL';
    failures.push(`${name} [${column}]: ${message}`);
  };

  const leftover = packedManifest(tarballs.get(name)).match(/"[^"]*"\s*:\s*"workspace:[^"]*"/g);
  if (leftover) fail('workspace', `packed package.json still has ${leftover.join(', ')}`);

  const cwd = path.join(scratchRoot, name.replace(/[@/]/g, '_'));
  mkdirSync(cwd, { recursive: true });
  // What `npm init -y` writes, minus its "type" field: the checks below choose ESM or CJS explicitly.
  writeFileSync(
    path.join(cwd, 'package.json'),
    `${JSON.stringify({ name: 'pack-check', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  const install = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      // Optional dependencies are left out: a package must load without them (the repository's
      // better-sqlite3 is loaded only on a Node without node:sqlite), and building a native
      // addon here would only test the network and the compiler.
      '--omit=optional',
      ...dependencyClosure(name, byName).map((dep) => tarballs.get(dep)),
    ],
    { cwd, env: npmEnv() },
  );
  if (!install.ok) {
    fail('esm', `npm install of the tarballs failed:\n${install.output}`);
    return { row, failures };
  }

  let esmKeys;
  if (hasImportEntry(pkg.manifest)) {
    const esm = await importKeys(name, cwd);
    if (esm.error) fail('esm', esm.error);
    else if (esm.keys.length === 0) fail('esm', 'the ESM namespace has no exports');
    else {
      esmKeys = esm.keys;
      row.esm = `ok (${esm.keys.length})`;
    }
  }
  const dual = hasImportEntry(pkg.manifest) && supportsRequire(pkg.manifest);
  if (dual) {
    const cjs = await requireKeys(name, cwd);
    if (cjs.error) fail('cjs', cjs.error);
    else if (cjs.keys.length === 0) fail('cjs', 'require() returned no exports');
    else if (esmKeys && cjs.keys.join() !== esmKeys.join()) {
      fail(
        'cjs',
        `require() keys differ from import keys:\n  cjs: ${cjs.keys.join(', ')}\n  esm: ${esmKeys.join(', ')}`,
      );
    } else row.cjs = 'ok';
  }
  if (esmKeys) {
    const problem = await typeCheck(name, esmKeys, dual ? ['mts', 'cts'] : ['mts'], cwd);
    if (problem) fail('types', problem);
    else row.types = dual ? 'ok (mts+cts)' : 'ok (mts)';
  }
  for (const bin of binNames(pkg.manifest)) {
    const help = await run('npx', ['--no-install', bin, '--help'], { cwd, env: npmEnv() });
    if (!help.ok) fail('bin', `${bin} --help exited ${help.status}:\n${help.output}`);
    else row.bin = row.bin === 'FAIL' ? 'FAIL' : 'ok';
  }
  return { row, failures };
}

function printTable(rows) {
  const columns = ['name', 'version', 'workspace', 'esm', 'cjs', 'types', 'bin'];
  const headers = {
    name: 'package',
    version: 'version',
    workspace: 'no workspace:',
    esm: 'import',
    cjs: 'require',
    types: 'types',
    bin: 'bin --help',
  };
  const widths = columns.map((column) =>
    Math.max(headers[column].length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) => cells.map((cell, index) => String(cell).padEnd(widths[index])).join('  ');
  console.log(line(columns.map((column) => headers[column])));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
}

async function main() {
  const packages = listPackages();
  if (packages.length === 0) throw new Error('no public packages under packages/');
  await ensureBuilt(packages);
  const scratchRoot = mkdtempSync(path.join(os.tmpdir(), 'dicomnet-check-pack-'));
  const cleanup = () => rmSync(scratchRoot, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  try {
    const byName = new Map(packages.map((pkg) => [pkg.manifest.name, pkg]));
    const packed = await mapConcurrently(packages, (pkg) =>
      pack(pkg, path.join(scratchRoot, 'tarballs', pkg.manifest.name.replace(/[@/]/g, '_'))),
    );
    const tarballs = new Map(packages.map((pkg, index) => [pkg.manifest.name, packed[index]]));
    const results = await mapConcurrently(packages, async (pkg) => {
      try {
        return await checkPackage(pkg, tarballs, byName, scratchRoot);
      } catch (error) {
        const row = {
          name: pkg.manifest.name,
          version: pkg.manifest.version,
          workspace: 'FAIL',
          esm: '-',
          cjs: '-',
          types: '-',
          bin: '-',
        };
        return {
          row,
          failures: [
            `${pkg.manifest.name}: ${error instanceof Error ? error.message : String(error)}`,
          ],
        };
      }
    });
    printTable(results.map((result) => result.row));
    const failures = results.flatMap((result) => result.failures);
    if (failures.length > 0) {
      console.error(`\n[check-pack] ${failures.length} failure(s):\n${failures.join('\n\n')}`);
      return 1;
    }
    console.log(
      `\n[check-pack] ${packages.length} package(s) install and load from their tarballs`,
    );
    return 0;
  } finally {
    cleanup();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`[check-pack] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
