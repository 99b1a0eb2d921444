import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// A resolve hook (it runs on the loader thread) that reports every module URL the ESM loader
// resolves; a 'flush' round trip on the same port guarantees all reports have arrived.
const HOOKS = `
let port;
export function initialize(data) {
  port = data.port;
  port.on('message', () => port.postMessage('flushed'));
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

// Runs in a fresh Node process (this one has loaded half the world): importing @dicomnet/dimse
// and @dicomnet/data must not load dcmjs (60-90 ms to compile), through import or require; the
// first data set encoded or decoded must load it.
const SCRIPT = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const resolved = [];
port1.on('message', (message) => resolved.push(message));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), {
  data: { port: port2 },
  transferList: [port2],
});
const flush = () => new Promise((done) => {
  port1.once('message', done);
  port1.postMessage('flush');
});
const require = createRequire(import.meta.url);
const loaded = async () => {
  await flush();
  return [...Object.keys(require.cache), ...resolved].some((name) => name.includes('/dcmjs/'));
};
await import('@dicomnet/dimse');
const data = await import('@dicomnet/data');
const afterImport = await loaded();
const codec = data.createDcmjsCodec();
const afterCreate = await loaded();
const bytes = codec.encode({ '00100020': { vr: 'LO', Value: ['ID1'] } }, '1.2.840.10008.1.2.1');
const decoded = codec.decode(bytes, '1.2.840.10008.1.2.1');
const afterUse = await loaded();
const sawDimse = resolved.some((url) => url.includes('/dimse/dist/'));
console.log(JSON.stringify({ sawDimse, afterImport, afterCreate, afterUse, decoded }));
port1.close();
`;

it('loads dcmjs only when a data set is first encoded or decoded', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', SCRIPT],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 15_000 },
  );
  expect(JSON.parse(stdout)).toEqual({
    sawDimse: true, // the hook does see the modules the loader resolves
    afterImport: false,
    afterCreate: false,
    afterUse: true,
    decoded: { '00100020': { vr: 'LO', Value: ['ID1'] } },
  });
});
