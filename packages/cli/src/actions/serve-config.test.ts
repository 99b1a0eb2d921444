import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeOptions } from '../commands/serve.js';
import { byteCount, peerAddress } from '../commands/serve.js';
import { runCli } from '../../test/run-cli.js';
import { ExitCode } from '../exit-codes.js';
import { ServeConfigError, serveSettings } from './serve-config.js';

let dir: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

const base: ServeOptions = { maxAssociations: 16, window: 1, fsync: true, json: false };

async function configFile(name: string, settings: unknown): Promise<string> {
  const file = path.join(dir.path, name);
  await writeFile(file, typeof settings === 'string' ? settings : JSON.stringify(settings));
  return file;
}

describe('serveSettings', () => {
  it('takes the Inventory Creation settings from the file, the options winning', async () => {
    const file = await configFile('inventory.json', {
      storage: 'data',
      maxInventories: 2,
      maxRecordsPerInstance: 500,
      inventoryRetention: 30,
    });
    expect((await serveSettings({ ...base, config: file, maxInventories: 3 })).inventory).toEqual({
      enabled: true,
      maxConcurrent: 3,
      maxRecordsPerInstance: 500,
      retentionDays: 30,
    });
    const off = await configFile('off.json', { storage: 'data', inventoryCreation: false });
    expect((await serveSettings({ ...base, config: off })).inventory.enabled).toBe(false);
    expect(
      (await serveSettings({ ...base, storage: 'x', inventoryCreation: false })).inventory,
    ).toMatchObject({ enabled: false });
    const bad = await configFile('bad.json', { storage: 'data', maxInventories: 0 });
    await expect(serveSettings({ ...base, config: bad })).rejects.toThrow(/maxInventories/);
  });

  it('applies the defaults', async () => {
    expect(await serveSettings({ ...base, storage: 'archive' })).toMatchObject({
      aeTitle: 'DICOMNET',
      port: 11112,
      host: '127.0.0.1',
      target: { kind: 'repository', root: 'archive' },
      fsync: true,
      minFreeBytes: 0,
      duplicate: undefined,
    });
    expect((await serveSettings({ ...base, folder: 'flat' })).target).toEqual({
      kind: 'folder',
      dir: 'flat',
    });
  });

  it('reads the config file; options given on the command line win', async () => {
    const file = await configFile('archive.json', {
      aeTitle: 'ARCHIVE',
      port: 4242,
      host: '0.0.0.0',
      storage: 'data',
      fsync: false,
      minFreeSpace: '2G',
      duplicate: 'keep',
      peers: { VIEWER: '10.0.0.5:104', OTHER: 'pacs.local:11112' },
    });
    const settings = await serveSettings({
      ...base,
      config: file,
      port: 5000,
      peer: [{ aeTitle: 'VIEWER', host: '127.0.0.1', port: 2000 }],
    });
    expect(settings).toMatchObject({
      aeTitle: 'ARCHIVE',
      port: 5000,
      host: '0.0.0.0',
      target: { kind: 'repository', root: path.join(dir.path, 'data') }, // relative to the file
      fsync: false,
      minFreeBytes: 2 * 1024 ** 3,
      duplicate: 'keep',
    });
    expect([...settings.peers.values()]).toEqual([
      { aeTitle: 'VIEWER', host: '127.0.0.1', port: 2000 },
      { aeTitle: 'OTHER', host: 'pacs.local', port: 11112 },
    ]);
  });

  it('refuses a file that is not JSON, an unknown setting and a wrong value', async () => {
    for (const [name, content, message] of [
      ['broken.json', '{ "port": ', /cannot read it as JSON/],
      ['typo.json', { prot: 104 }, /"prot": not a setting of serve/],
      ['port.json', { port: 'x' }, /"port": a number/],
      ['peer.json', { peers: { VIEWER: 'nowhere' } }, /"peers": AET=HOST:PORT/],
      ['empty.json', {}, /no storage folder/],
    ] as const) {
      const error = await serveSettings({ ...base, config: await configFile(name, content) }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ServeConfigError);
      expect((error as ServeConfigError).code).toBe('DICOMNET_CLI_SERVE_CONFIG');
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('serve option parsers', () => {
  it('parses AET=HOST:PORT, with IPv6 hosts and colons in the host', () => {
    expect(peerAddress('VIEWER=10.0.0.5:104')).toEqual({
      aeTitle: 'VIEWER',
      host: '10.0.0.5',
      port: 104,
    });
    expect(peerAddress('V6=::1:4242')).toEqual({ aeTitle: 'V6', host: '::1', port: 4242 });
    expect(() => peerAddress('VIEWER:104')).toThrow('AET=HOST:PORT');
    expect(() => peerAddress('MUCH-TOO-LONG-AE-TITLE=h:1')).toThrow();
  });

  it('parses byte counts with binary suffixes', () => {
    expect(byteCount('1000')).toBe(1000);
    expect(byteCount('500M')).toBe(500 * 1024 ** 2);
    expect(byteCount('2GiB')).toBe(2 * 1024 ** 3);
    expect(() => byteCount('lots')).toThrow('a number of bytes');
  });
});

describe('serve command line', () => {
  it('exits 2 for a storage conflict, options a flat folder cannot use, and a bad config file', async () => {
    const storage = path.join(dir.path, 'never-created');
    for (const args of [
      ['--storage', storage, '--folder', storage],
      ['--folder', storage, '--peer', 'VIEWER=127.0.0.1:104'],
      ['--folder', storage, '--duplicate', 'keep'],
      ['--storage', storage, '--duplicate', 'sometimes'],
    ]) {
      const result = await runCli(['serve', '--port', '0', ...args]);
      expect(result.code, args.join(' ')).toBe(ExitCode.Usage);
    }
    const typo = await configFile('serve-typo.json', { storage: 'x', prot: 1 });
    const result = await runCli(['serve', '--config', typo]);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toContain('"prot": not a setting of serve');
  });
});
