import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  generateInstances,
  makeTlsCertificates,
  runTool,
  tempDir,
} from '@dicomnet/test-utils';
import type { GeneratedInstance, TlsCertificates } from '@dicomnet/test-utils';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli } from '../run-cli.js';

const TIMEOUTS = ['-to', '5', '-ta', '5', '-td', '5'];

interface LogEvent {
  readonly event: string;
  readonly user?: string;
  readonly reason?: string;
  readonly rejection?: string;
  readonly stored?: number;
}

describe('dicomnet serve --tls --accept-user, against echoscu and storescu +tls -usr/-pwd', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let certificates: TlsCertificates;
  let instances: GeneratedInstance[];
  let port: number;
  let dcmtkTls: string[];
  let ourTls: string[];
  const stop = new AbortController();
  let serving: ReturnType<typeof runCli>;

  const storescu = (identity: readonly string[]): ReturnType<typeof runTool> =>
    runTool('storescu', [
      ...TIMEOUTS,
      ...dcmtkTls,
      ...identity,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(port),
      path.join(dir.path, 'send'),
      '+sd',
    ]);
  const echo = (options: readonly string[]): ReturnType<typeof runCli> =>
    runCli([
      'echo',
      '127.0.0.1',
      String(port),
      '--called',
      'DICOMNET',
      '--timeout',
      '5',
      ...ourTls,
      ...options,
    ]);

  beforeAll(async () => {
    dir = await tempDir();
    certificates = await makeTlsCertificates(dir.path);
    const { server, client } = certificates;
    instances = await generateInstances(path.join(dir.path, 'send'), { count: 2 });
    dcmtkTls = ['+tls', client.key, client.cert, '+cf', server.cert];
    ourTls = ['--tls-ca', server.cert, '--tls-cert', client.cert, '--tls-key', client.key];
    port = await freePort();
    serving = runCli(
      [
        'serve',
        '--port',
        String(port),
        '--folder',
        path.join(dir.path, 'storage'),
        '--tls-cert',
        server.cert,
        '--tls-key',
        server.key,
        '--tls-ca',
        client.cert,
        '--accept-user',
        'alice:s3cret',
        '--accept-user',
        'bob',
        '--json',
      ],
      { interrupted: stop.signal },
    );
    let ready = await echo(['--user', 'alice', '--password', 's3cret']);
    for (let tries = 0; ready.code !== ExitCode.Ok && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ready = await echo(['--user', 'alice', '--password', 's3cret']);
    }
    expect(ready.code, ready.stderr).toBe(ExitCode.Ok);
  });
  afterAll(async () => {
    stop.abort();
    await serving;
    await dir?.remove();
  });

  it('stores from storescu +tls with a listed user name and passcode (type 2) or user name (type 1)', async () => {
    const alice = await storescu(['-usr', 'alice', '-pwd', 's3cret']);
    expect(alice.code, alice.stderr).toBe(0);
    const bob = await storescu(['-usr', 'bob']);
    expect(bob.code, bob.stderr).toBe(0);
    const stored = await readdir(path.join(dir.path, 'storage'));
    expect(stored.sort()).toEqual(
      instances.map((instance) => `${instance.sopInstanceUid}.dcm`).sort(),
    );
  });

  it('rejects a wrong passcode, an unlisted user and a type the list cannot check', async () => {
    for (const identity of [
      ['-usr', 'alice', '-pwd', 'wrong'],
      ['-usr', 'eve', '-pwd', 's3cret'],
      ['-usr', 'bob', '-pwd', 'anything'], // bob is listed without a passcode: type 1 only
      ['-usr', 'alice'], // alice needs her passcode
    ]) {
      const result = await storescu(identity);
      expect(result.code, identity.join(' ')).not.toBe(0);
      expect(result.stderr, identity.join(' ')).toContain('Association Rejected');
    }
    const ours = await echo(['--user', 'alice', '--password', 'wrong', '--json']);
    expect(ours.code).toBe(ExitCode.Rejected);
  });

  it('rejects a peer that sends no user identity (A-ASSOCIATE-RJ 1/1/1), and peers without a trusted certificate', async () => {
    const anonymous = await storescu([]);
    // storescu exits 1 on a rejection (PEERS.md) and prints the A-ASSOCIATE-RJ it got: permanent,
    // service-user, no-reason-given. No association was accepted, so nothing was aborted.
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('Association Rejected');
    expect(anonymous.stderr).toMatch(/Result: Rejected Permanent/);
    expect(anonymous.stderr).toMatch(/Source: Service User/);
    expect(anonymous.stderr).toMatch(/Reason: No Reason/);
    expect(anonymous.stderr).not.toContain('aborted');
    const ours = await echo(['--json']);
    expect(ours.code).toBe(ExitCode.Rejected);
    // serve requires a trusted client certificate by default (DCMTK's -rc).
    const noCertificate = await runTool('echoscu', [
      ...TIMEOUTS,
      '+tla',
      '+cf',
      certificates.server.cert,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(port),
    ]);
    expect(noCertificate.code).not.toBe(0);
    const plain = await runTool('echoscu', [
      ...TIMEOUTS,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(port),
    ]);
    expect(plain.code).not.toBe(0);
    // ...and it is still serving.
    const after = await echo(['--user', 'bob']);
    expect(after.code, after.stderr).toBe(ExitCode.Ok);
  });

  it('logs the user of each association and the refusals', async () => {
    stop.abort();
    const result = await serving;
    expect(result.code).toBe(ExitCode.Ok);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogEvent);
    expect(events[0]).toMatchObject({ event: 'listening', tls: true });
    const users = events
      .filter((event) => event.event === 'association')
      .map((event) => event.user);
    expect(users).toEqual(expect.arrayContaining(['alice', 'bob']));
    expect(events).toContainEqual(
      expect.objectContaining({
        event: 'rejected',
        rejection: '1/1/1',
        reason: 'no user identity, or one not accepted',
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'refused', reason: 'user not accepted', user: 'eve' }),
    );
    // No association of an anonymous peer was ever accepted (and then aborted).
    expect(
      events.filter((event) => event.event === 'association' && event.user === undefined),
    ).toEqual([]);
    expect(
      events.filter((event) => event.event === 'association-end' && event.stored === 2),
    ).toHaveLength(2);
  });
});

describe('dicomnet serve --tls without an accept-list, against echoscu +tls and +tla', () => {
  it('answers echoscu with a trusted certificate; with --tls-no-verify, anonymous clients too', async () => {
    const dir = await tempDir();
    try {
      const { server, client, stranger } = await makeTlsCertificates(dir.path);
      for (const [serveOptions, accepted, refused] of [
        [
          ['--tls-ca', client.cert],
          [['+tls', client.key, client.cert, '+cf', server.cert]],
          [
            ['+tla', '+cf', server.cert],
            ['+tls', stranger.key, stranger.cert, '+cf', server.cert],
          ],
        ],
        [['--tls-no-verify'], [['+tla', '+cf', server.cert]], [['+tla', '+cf', stranger.cert]]],
      ] as const) {
        const stop = new AbortController();
        const port = await freePort();
        const serving = runCli(
          [
            'serve',
            '--port',
            String(port),
            '--folder',
            path.join(dir.path, 'storage'),
            '--tls-cert',
            server.cert,
            '--tls-key',
            server.key,
            ...serveOptions,
          ],
          { interrupted: stop.signal },
        );
        try {
          const echoscu = (tlsArgs: readonly string[]): ReturnType<typeof runTool> =>
            runTool('echoscu', [
              ...TIMEOUTS,
              ...tlsArgs,
              '-aec',
              'DICOMNET',
              '127.0.0.1',
              String(port),
            ]);
          let ready = await echoscu(accepted[0]);
          for (let tries = 0; ready.code !== 0 && tries < 50; tries++) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            ready = await echoscu(accepted[0]);
          }
          for (const tlsArgs of accepted) {
            const result = await echoscu(tlsArgs);
            expect(result.code, `${tlsArgs.join(' ')}: ${result.stderr}`).toBe(0);
            expect(result.stderr).not.toContain('Failed');
          }
          for (const tlsArgs of refused) {
            const result = await echoscu(tlsArgs);
            expect(result.code, tlsArgs.join(' ')).not.toBe(0);
          }
        } finally {
          stop.abort();
          expect((await serving).code).toBe(ExitCode.Ok);
        }
      }
    } finally {
      await dir.remove();
    }
  });
});
