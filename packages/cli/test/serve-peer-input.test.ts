// dicomnet serve and store, over real sockets, against what a killed server leaves in a folder and
// what a hostile peer puts in the values serve logs.
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, isStorageSopClass } from '@dicomnet/dimse';
import { freePort, generateInstances, tempDir } from '@dicomnet/test-utils';
import { ExitCode } from '../src/exit-codes.js';
import { runCli } from './run-cli.js';

/** Raw control characters but LF, and the bidi/format characters a terminal acts on or hides. */
function rawDangers(text: string): string[] {
  return [...text].filter((character) => {
    const code = character.codePointAt(0) ?? 0;
    return (
      (code <= 0x1f && code !== 0x0a) ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x200b && code <= 0x200f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

interface Serving {
  readonly port: number;
  readonly stop: () => Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts `serve`, waits (bounded) until it answers C-ECHO, and stops it on request. */
async function serve(args: readonly string[], echoArgs: readonly string[] = []): Promise<Serving> {
  const port = await freePort();
  const interrupt = new AbortController();
  const running = runCli(['serve', '--port', String(port), ...args], {
    interrupted: interrupt.signal,
  });
  const echo = (): ReturnType<typeof runCli> =>
    runCli([
      'echo',
      '127.0.0.1',
      String(port),
      '--called',
      'DICOMNET',
      '--timeout',
      '5',
      ...echoArgs,
    ]);
  let ready = await echo();
  for (let tries = 0; ready.code !== ExitCode.Ok && tries < 50; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    ready = await echo();
  }
  expect(ready.code, ready.stderr).toBe(ExitCode.Ok);
  return {
    port,
    stop: async () => {
      interrupt.abort();
      return running;
    },
  };
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

describe('dicomnet serve removes and logs the leftovers of a killed transfer', () => {
  for (const json of [false, true]) {
    it(`one ${json ? 'JSON event' : 'line'} per removed file; other files stay`, async () => {
      const storage = path.join(dir.path, 'storage');
      await mkdir(storage);
      // The name our atomic writer gives the file of an instance being received.
      const leftover = path.join(storage, '.1.2.826.0.1.3680043.2.1125.1.42.dcm.0123456789ab.part');
      const unrelated = path.join(storage, '.notes.0123456789ab.part');
      await writeFile(leftover, 'half an instance');
      await writeFile(unrelated, 'not ours');
      const instances = await generateInstances(path.join(dir.path, 'send'), { count: 1 });
      const server = await serve(['--folder', storage, ...(json ? ['--json'] : [])]);
      // A C-STORE waits for the clean-up: once it is answered, the log line has been written.
      const sent = await runCli([
        'store',
        '127.0.0.1',
        String(server.port),
        path.join(dir.path, 'send'),
        '--called',
        'DICOMNET',
      ]);
      expect(sent.code, sent.stderr).toBe(ExitCode.Ok);
      const result = await server.stop();
      expect(result.code).toBe(ExitCode.Ok);
      expect(await exists(leftover)).toBe(false);
      expect(await exists(unrelated)).toBe(true);
      expect((await readdir(storage)).sort()).toEqual(
        ['.notes.0123456789ab.part', `${instances[0]?.sopInstanceUid}.dcm`].sort(),
      );
      if (json) {
        const events = result.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { event: string; path?: string });
        expect(events.filter((event) => event.event === 'leftover-removed')).toEqual([
          expect.objectContaining({ path: leftover }),
        ]);
      } else {
        const lines = result.stdout.split('\n').filter((line) => line.startsWith('removed '));
        expect(lines).toEqual([
          `removed ${leftover}: the unfinished transfer of a process that was stopped`,
        ]);
      }
    });
  }
});

describe('dicomnet store DIR skips the leftovers of a killed transfer', () => {
  it('sends the instances, names the skipped file and its reason, and exits 0', async () => {
    const send = path.join(dir.path, 'send');
    const instances = await generateInstances(send, { count: 2 });
    const leftover = path.join(send, `.${instances[0]?.sopInstanceUid}.dcm.00112233aabb.part`);
    await writeFile(leftover, 'half an instance');
    const storage = path.join(dir.path, 'storage');
    const server = await serve(['--folder', storage]);
    try {
      const human = await runCli([
        'store',
        '127.0.0.1',
        String(server.port),
        send,
        '--called',
        'DICOMNET',
      ]);
      expect(human.code, human.stderr).toBe(ExitCode.Ok);
      expect(human.stdout).toContain('2 of 2 file(s) stored');
      expect(human.stderr).toContain(`skipped: ${leftover}: unfinished transfer`);
      const json = await runCli([
        'store',
        '127.0.0.1',
        String(server.port),
        send,
        '--called',
        'DICOMNET',
        '--json',
      ]);
      expect(json.code, json.stderr).toBe(ExitCode.Ok);
      const document = JSON.parse(json.stdout) as {
        stored: number;
        skipped: { file: string; reason: string }[];
      };
      expect(document.stored).toBe(2);
      expect(document.skipped).toEqual([
        { file: leftover, reason: expect.stringContaining('unfinished') },
      ]);
    } finally {
      await server.stop();
    }
    expect(await exists(leftover)).toBe(true); // store reads; it never deletes
  });
});

describe('dicomnet serve writes no control character a peer sent', () => {
  // An OSC that retitles the window, a screen clear, an 8-bit CSI, a forged second log line and
  // a right-to-left override, in the user name of a User Identity the accept-list refuses.
  const hostileUser = '\u001b]0;owned\u0007\u001b[2J\u009b31mx\r\nlistening on 0.0.0.0\u202e';

  for (const json of [false, true]) {
    it(`escapes them in ${json ? 'JSON events' : 'human lines'}`, async () => {
      const server = await serve(
        [
          '--folder',
          path.join(dir.path, 'storage'),
          '--accept-user',
          'alice',
          ...(json ? ['--json'] : []),
        ],
        ['--user', 'alice'],
      );
      const refused = await runCli([
        'echo',
        '127.0.0.1',
        String(server.port),
        '--called',
        'DICOMNET',
        '--timeout',
        '5',
        '--user',
        hostileUser,
      ]);
      expect(refused.code).toBe(ExitCode.Rejected);
      const result = await server.stop();
      expect(rawDangers(result.stdout)).toEqual([]);
      if (json) {
        const events = result.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { event: string; user?: string });
        // Escaped for the terminal, yet exactly what the peer sent once parsed.
        expect(events).toContainEqual(
          expect.objectContaining({ event: 'refused', user: hostileUser }),
        );
      } else {
        const refusal = result.stdout
          .split('\n')
          .filter((line) => line.startsWith('user identity'));
        expect(refusal).toEqual([
          'user identity \\x1b]0;owned\\x07\\x1b[2J\\x9b31mx\\x0d\\x0alistening on 0.0.0.0\\u202e not accepted',
        ]);
        expect(
          result.stdout.split('\n').filter((line) => line.startsWith('listening on 0.0.0.0')),
        ).toEqual([]);
      }
    });
  }
});

describe("dicomnet store writes no control character of a peer's error comment", () => {
  it('escapes them on stderr and in the JSON result', async () => {
    // A hostile SCP: its Error Comment (LO, where ESC is legal for ISO 2022) clears the screen
    // and forges a line. The dimse decoder already blanks control characters of an Error
    // Comment; this checks the whole path to the terminal, the CLI's escaping being the second
    // defence (its own tests are in src/terminal-safe.test.ts).
    const comment = '\u001b[2J\u001b[Hno\r\n2 of 2 file(s) stored';
    const peer = createServer({
      contexts: [{ abstractSyntax: isStorageSopClass, transferSyntaxes: ['1.2.840.10008.1.2.1'] }],
      handlers: { store: () => Promise.resolve({ status: 0xa700, errorComment: comment }) },
    });
    const { port } = await peer.listen({ port: 0, host: '127.0.0.1' });
    try {
      const send = path.join(dir.path, 'send');
      await generateInstances(send, { count: 1 });
      for (const json of [false, true]) {
        const result = await runCli([
          'store',
          '127.0.0.1',
          String(port),
          send,
          ...(json ? ['--json'] : []),
        ]);
        expect(result.code).toBe(ExitCode.Failed);
        expect(rawDangers(result.stdout + result.stderr)).toEqual([]);
        if (json) {
          const document = JSON.parse(result.stdout) as { files: { meaning: string }[] };
          expect(document.files[0]?.meaning).toContain('Out of resources');
        } else {
          // The forged summary never starts a line of its own.
          expect(result.stdout.split('\n')).not.toContain('2 of 2 file(s) stored');
          expect(result.stderr.split('\n')).not.toContain('2 of 2 file(s) stored)');
          expect(result.stderr).toContain('0xA700');
        }
      }
    } finally {
      await peer.abortAll();
      await peer.close();
    }
  });
});
