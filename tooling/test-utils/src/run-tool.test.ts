import { describe, expect, it } from 'vitest';
import { hasCommand } from './has-command.js';
import { runTool } from './run-tool.js';

describe('runTool', () => {
  it('returns the exit code and both outputs without rejecting', async () => {
    const result = await runTool('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toEqual({
      code: 3,
      signal: null,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
    });
  });

  it('kills a tool that outlives its timeout', async () => {
    const result = await runTool('sleep', ['30'], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
  });

  it('passes TCP_NODELAY=1, overridable', async () => {
    expect((await runTool('sh', ['-c', 'echo $TCP_NODELAY'])).stdout).toBe('1\n');
    expect(
      (await runTool('sh', ['-c', 'echo $TCP_NODELAY'], { env: { TCP_NODELAY: '0' } })).stdout,
    ).toBe('0\n');
  });

  it('rejects with PeerToolMissingError for a missing program', async () => {
    await expect(runTool('no-such-dicom-tool')).rejects.toMatchObject({
      code: 'DICOMNET_TEST_PEER_MISSING',
    });
  });
});

describe('hasCommand', () => {
  it('finds programs on PATH and only those', () => {
    expect(hasCommand('sh')).toBe(true);
    expect(hasCommand('/bin/sh')).toBe(true);
    expect(hasCommand('no-such-dicom-tool')).toBe(false);
  });
});
