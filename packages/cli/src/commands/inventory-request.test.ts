import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/run-cli.js';
import { ExitCode } from '../exit-codes.js';

describe('dicomnet inventory request and steering: the command line', () => {
  it('needs --called, and --transaction to steer (exit 2)', async () => {
    const request = await runCli(['inventory', 'request', '127.0.0.1', '11112']);
    expect(request.code).toBe(ExitCode.Usage);
    expect(request.stderr).toMatch(/needs --called/);
    const pause = await runCli(['inventory', 'pause', '127.0.0.1', '11112', '--called', 'ARCHIVE']);
    expect(pause.code).toBe(ExitCode.Usage);
    expect(pause.stderr).toMatch(/needs --transaction/);
  });

  it('refuses a bad level, port, UID or retain, and --via move without --listen (exit 2)', async () => {
    const base = ['inventory', 'request', '127.0.0.1', '11112', '--called', 'ARCHIVE'];
    for (const argv of [
      [...base, '--level', 'PATIENT'],
      [...base, '--via', 'move'],
      [...base, '--scope', 'NoSuchKeyword=1'],
      ['inventory', 'request', '127.0.0.1', 'port', '--called', 'ARCHIVE'],
      ['inventory', 'status', '127.0.0.1', '11112', '--called', 'A', '--transaction', '1.02'],
      [
        'inventory',
        'cancel',
        '127.0.0.1',
        '11112',
        '--called',
        'A',
        '--transaction',
        '1.2',
        '--retain',
        'maybe',
      ],
    ]) {
      const result = await runCli(argv);
      expect(result.code, argv.join(' ')).toBe(ExitCode.Usage);
    }
  });

  it('exits 4 when the SCP cannot be reached', async () => {
    const request = await runCli([
      'inventory',
      'request',
      '127.0.0.1',
      '1',
      '--called',
      'ARCHIVE',
      '--timeout',
      '2',
    ]);
    expect(request.code, request.stderr).toBe(ExitCode.Unreachable);
    const status = await runCli([
      'inventory',
      'status',
      '127.0.0.1',
      '1',
      '--called',
      'ARCHIVE',
      '--transaction',
      '1.2.3',
      '--timeout',
      '2',
    ]);
    expect(status.code, status.stderr).toBe(ExitCode.Unreachable);
  });
});
