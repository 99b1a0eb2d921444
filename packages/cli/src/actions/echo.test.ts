import { describe, expect, it } from 'vitest';
import { createServer } from '@dicomnet/dimse';
import { runCli } from '../../test/run-cli.js';
import { ExitCode } from '../exit-codes.js';
import { summarize } from './echo.js';

describe('summarize', () => {
  it('gives count, min, median and max', () => {
    expect(summarize([3, 1, 2])).toEqual({ count: 3, min: 1, median: 2, max: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ count: 4, min: 1, median: 2.5, max: 4 });
    expect(summarize([]).count).toBe(0);
  });
});

describe('dicomnet echo --repeat', () => {
  it('prints one summary line, per-echo lines only with --verbose, and JSON with the summary', async () => {
    const server = createServer({
      aeTitles: ['ECHO-SCP'],
      contexts: [{ abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] }],
      handlers: {},
    });
    try {
      const { port } = await server.listen({ port: 0 });
      const peer = ['127.0.0.1', String(port), '--called', 'ECHO-SCP', '--timeout', '10'];
      const quiet = await runCli(['echo', ...peer, '--repeat', '300']);
      expect(quiet.code, quiet.stderr).toBe(ExitCode.Ok);
      const lines = quiet.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^300 echo\(es\) to ECHO-SCP .*: min [\d.]+, median [\d.]+, max [\d.]+ ms$/,
      );

      const verbose = await runCli(['echo', ...peer, '--repeat', '5', '--verbose']);
      const verboseLines = verbose.stdout.trim().split('\n');
      expect(verboseLines).toHaveLength(6);
      expect(verboseLines[4]).toMatch(/^C-ECHO 5\/5: Success/);

      const json = await runCli(['echo', ...peer, '--repeat', '4', '--json']);
      const result = JSON.parse(json.stdout) as {
        echoes: number;
        summary: { count: number; min: number; median: number; max: number };
        milliseconds: number[];
      };
      expect(result.echoes).toBe(4);
      expect(result.milliseconds).toHaveLength(4);
      expect(result.summary).toEqual(summarize(result.milliseconds));
    } finally {
      await server.abortAll();
      await server.close();
    }
  });
});
