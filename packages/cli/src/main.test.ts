import { describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';
import { ExitCode } from './exit-codes.js';

describe('dicomnet command line', () => {
  it('prints help with the exit codes, for the program and each command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(ExitCode.Ok);
    expect(top.stdout).toMatch(/echo.*\n.*store|store[\s\S]*serve/);
    expect(top.stdout).toContain('Exit codes:');
    for (const command of ['echo', 'store', 'serve', 'demo']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(ExitCode.Ok);
      expect(help.stdout).toContain(`Usage: dicomnet ${command}`);
      expect(help.stdout).toContain('--json');
    }
  });

  it('prints its version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(ExitCode.Ok);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses bad arguments with exit code 2', async () => {
    expect((await runCli(['echo', '127.0.0.1'])).code).toBe(ExitCode.Usage);
    expect((await runCli(['echo', '127.0.0.1', 'port'])).code).toBe(ExitCode.Usage);
    expect(
      (await runCli(['echo', '127.0.0.1', '104', '--aet', 'MUCH-TOO-LONG-AE-TITLE'])).code,
    ).toBe(ExitCode.Usage);
    expect((await runCli(['echo', '127.0.0.1', '104', '--repeat', '0'])).code).toBe(ExitCode.Usage);
    expect((await runCli(['frobnicate'])).code).toBe(ExitCode.Usage);
    expect((await runCli(['serve'])).code).toBe(ExitCode.Usage); // --storage, --folder or --config is required
  });

  it('exits 4 when nothing listens, and says so in JSON', async () => {
    const result = await runCli(['echo', '127.0.0.1', '1', '--timeout', '2', '--json']);
    expect(result.code).toBe(ExitCode.Unreachable);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: { code: 'DICOMNET_CONNECT_FAILED' },
    });
  });

  it('runs the demo end to end on loopback: exit 0, the inventory equal to what was stored', async () => {
    const result = await runCli([
      'demo',
      '--studies',
      '2',
      '--max-records-per-instance',
      '5',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      level: 'INSTANCE',
      stored: { studies: 2, series: 4, instances: 12 },
      listed: { study: 2, series: 4, instance: 12 },
      differences: [],
    });
  });
});
