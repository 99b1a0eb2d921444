#!/usr/bin/env node
import { main } from './main.js';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort(new Error('interrupted')));
process.once('SIGTERM', () => interrupt.abort(new Error('terminated')));

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTty: process.stdout.isTTY === true,
  interrupted: interrupt.signal,
  setExitCode: () => {},
});
