#!/usr/bin/env node
// `npm test`: the README's second command, and what .ci/run runs. It installs the workspace, then
// makes sure the real DICOM peers the interop tests start are there (scripts/install-peers.sh:
// as root with apt, leaving no Orthanc service running). Without them and without root it stops
// before any test and prints the one command that installs them. Then every test of every
// package (turbo run test). Arguments go to turbo (`npm test -- --filter=@dicomnet/pdu`).
import { spawnSync } from 'node:child_process';
import { installDependencies, pnpmCommand, requireNode, ROOT, run, say } from './workspace.mjs';

const NAME = 'test';
const INSTALLER = 'scripts/install-peers.sh';
requireNode(NAME);
const pnpm = pnpmCommand();
installDependencies(NAME, pnpm);

const check = spawnSync('bash', [INSTALLER, '--check'], { cwd: ROOT, encoding: 'utf8' });
if (check.status !== 0) {
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    say(NAME, `the interop tests need DCMTK and Orthanc (${check.stdout.trim()})`);
    say(
      NAME,
      hasApt
        ? `install them with:  sudo bash ${INSTALLER}`
        : "install Debian's dcmtk and orthanc packages (or run on Debian 12)",
    );
    process.exit(1);
  }
  run(NAME, ['bash', INSTALLER]);
}
run(NAME, [...pnpm, 'turbo', 'run', 'test', ...process.argv.slice(2)]);
