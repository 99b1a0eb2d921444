import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../command-io.js';
import { createServeLog } from './serve-log.js';

/** A CommandIo whose stdout keeps each write it gets. */
function capture(): { io: CommandIo; writes: string[] } {
  const writes: string[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString('utf8'));
      done();
    },
  });
  const io: CommandIo = {
    stdout,
    stderr: stdout,
    isTty: false,
    setExitCode: () => {},
    interrupted: new AbortController().signal,
  };
  return { io, writes };
}

describe('createServeLog', () => {
  it('holds lines and writes them in their order in one write, terminal-safe', () => {
    const { io, writes } = capture();
    const { log, flush } = createServeLog(io, false);
    log({ event: 'a' }, 'first');
    log({ event: 'b' }, 'second \u001b[31mred');
    expect(writes).toEqual([]);
    flush();
    expect(writes).toEqual(['first\nsecond \\x1b[31mred\n']);
    flush(); // nothing held: nothing written
    expect(writes).toHaveLength(1);
  });

  it('stamps each JSON line with the time of its event, not of its write', async () => {
    const { io, writes } = capture();
    const { log, flush } = createServeLog(io, true);
    const before = Date.now();
    log({ event: 'store', sopInstanceUid: '1.2.3' }, 'unused');
    const after = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    flush();
    const line = JSON.parse(writes.join('')) as { time: string; event: string };
    expect(line.event).toBe('store');
    const time = Date.parse(line.time);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });

  it('writes on its own: after a short delay, or at once when many lines are held', async () => {
    const { io, writes } = capture();
    const { log } = createServeLog(io, false);
    log({}, 'later');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(writes).toEqual(['later\n']);
    for (let i = 0; i < 256; i++) log({}, `line ${i}`);
    expect(writes).toHaveLength(2);
    expect(writes[1]?.split('\n')).toHaveLength(257);
  });
});
