#!/usr/bin/env node
// `npm run demo`: the README's first command. With nothing but Node and npm on the machine, it
// installs the workspace (the pinned pnpm through npx when it is not installed), builds the CLI
// and runs `dicomnet demo` on its embedded default. Arguments after `--` go to `dicomnet demo`.
import { installDependencies, pnpmCommand, requireNode, run } from './workspace.mjs';

const NAME = 'demo';
requireNode(NAME);
const pnpm = pnpmCommand();
installDependencies(NAME, pnpm);
run(NAME, [
  ...pnpm,
  'turbo',
  'run',
  'build',
  '--filter=@dicomnet/cli',
  '--output-logs=errors-only',
]);
run(NAME, [process.execPath, 'packages/cli/dist/bin.js', 'demo', ...process.argv.slice(2)]);
