import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStorescp, tempDir } from '@dicomnet/test-utils';

// Runs in a fresh Node process (this one has loaded half the world): a C-ECHO through
// @dicomnet/dimse and @dicomnet/pdu must not load node:tls, node:zlib or node:crypto, which cost
// `dicomnet echo` about 10 ms of start-up on Node 20 (bench/README.md, "dicomnet start-up").
// The last two steps show the check sees them once something does need them.
const SCRIPT = `
const heavy = () =>
  process.moduleLoadList
    .filter((name) => /^NativeModule (tls|zlib|crypto)$/.test(name))
    .map((name) => name.slice('NativeModule '.length))
    .sort();
const dimse = await import('@dicomnet/dimse');
const afterImport = heavy();
const peer = {
  host: '127.0.0.1',
  port: Number(process.env.LAZY_PORT),
  callingAeTitle: 'LAZY',
  calledAeTitle: 'STORESCP',
  contexts: [{ abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] }],
  connectTimeout: 10_000,
};
const client = await dimse.connect(peer);
const { status } = await client.echo();
await client.release();
const afterEcho = heavy();
(await import('@dicomnet/data')).createDcmjsCodec().encode({ '00100020': { vr: 'LO', Value: ['ID1'] } }, '1.2.840.10008.1.2.1.99');
const afterDeflate = heavy();
// storescp speaks no TLS: the handshake fails, but the attempt has to load node:tls.
const tlsFailed = await dimse.connect({ ...peer, tls: {} }).then(
  async (unexpected) => { await unexpected.abort(); return false; },
  () => true,
);
console.log(JSON.stringify({ afterImport, afterEcho, status, afterDeflate, tlsFailed, afterTls: heavy() }));
`;

let dir: Awaited<ReturnType<typeof tempDir>>;
let scp: Awaited<ReturnType<typeof startStorescp>>;

beforeAll(async () => {
  dir = await tempDir();
  scp = await startStorescp({ outputDir: path.join(dir.path, 'received') });
});
afterAll(async () => {
  await scp?.stop();
  await dir?.remove();
});

it('echoes without loading node:tls, node:zlib or node:crypto, and loads each on first need', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', SCRIPT],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, LAZY_PORT: String(scp.port) },
      timeout: 30_000,
    },
  );
  expect(JSON.parse(stdout)).toEqual({
    afterImport: [],
    afterEcho: [],
    status: 0,
    afterDeflate: ['zlib'],
    tlsFailed: true,
    afterTls: ['crypto', 'tls', 'zlib'],
  });
});
