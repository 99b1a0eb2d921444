// A process that stores instances into a FileRepository (the built package) in a loop, four at a
// time, re-storing ones already there (the replace path) too, and deleting the `volatile` ones
// now and then, until it is killed. It tells its parent each SOP Instance UID whose store
// resolved: {type:'stored', uid}; {type:'ready'} first.
// Mode `durable` (default; small stores through the store journal) or `relaxed` (`fsync: false`);
// either way index rows are committed after the acknowledgement, in groups. Modes `durable-hold` and `relaxed-hold`: rows wait a
// minute for their commit; the child stores each instance once, then says {type:'held'} and idles
// until killed, so a kill then falls between the acknowledgements and the commit.
// Usage: fork(store-child.mjs, [root, instancesJson, mode?]).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setImmediate, setInterval } from 'node:timers';
import { FileRepository } from '@dicomnet/repository';

const [root, list, mode = 'durable'] = process.argv.slice(2);
if (root === undefined || list === undefined || process.send === undefined) {
  process.exitCode = 2;
  throw new Error('usage: fork(store-child.mjs, [root, instancesJson])');
}
/** @type {{ sopInstanceUid: string, sopClassUid: string, transferSyntaxUid: string, dataSetPath: string, volatile: boolean }[]} */
const instances = JSON.parse(readFileSync(list, 'utf8'));
const held = mode.endsWith('-hold');
const repo = await FileRepository.open({
  root,
  fsync: mode.startsWith('durable'),
  // The smallest store journal: its two files take turns every hundred stores or so, so kills
  // also fall in its checkpoints.
  journalBytes: 256 * 1024,
  ...(held && { deferredIndex: { rows: 1_000_000, delayMs: 60_000 } }),
});
process.send({ type: 'ready', recovery: repo.recovery });

async function* chunks(bytes) {
  for (let offset = 0; offset < bytes.byteLength; offset += 700) {
    await new Promise((resolve) => setImmediate(resolve));
    yield bytes.subarray(offset, offset + 700);
  }
}

async function worker() {
  for (;;) {
    const instance = instances[Math.floor(Math.random() * instances.length)];
    if (instance.volatile && Math.random() < 0.5) {
      await repo.delete(instance.sopInstanceUid);
      continue;
    }
    const bytes = await readFile(instance.dataSetPath);
    await repo.store({
      dataSet: chunks(bytes),
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      transferSyntaxUid: instance.transferSyntaxUid,
    });
    process.send({ type: 'stored', uid: instance.sopInstanceUid });
  }
}

if (held) {
  for (const instance of instances) {
    await repo.store({
      dataSet: await readFile(instance.dataSetPath),
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      transferSyntaxUid: instance.transferSyntaxUid,
    });
    process.send({ type: 'stored', uid: instance.sopInstanceUid });
  }
  process.send({ type: 'held' });
  setInterval(() => undefined, 60_000); // idles until killed
} else {
  await Promise.all([worker(), worker(), worker(), worker()]);
}
