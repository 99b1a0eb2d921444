// A process that stores instances into a FileRepository (the built package) in a loop, four at a
// time, re-storing ones already there (the replace path) too, and deleting the `volatile` ones
// now and then, until it is killed. It tells its parent each SOP Instance UID whose store
// resolved: {type:'stored', uid}; {type:'ready'} first.
// Usage: fork(store-child.mjs, [root, instancesJson]).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setImmediate } from 'node:timers';
import { FileRepository } from '@dicomnet/repository';

const [root, list] = process.argv.slice(2);
if (root === undefined || list === undefined || process.send === undefined) {
  process.exitCode = 2;
  throw new Error('usage: fork(store-child.mjs, [root, instancesJson])');
}
/** @type {{ sopInstanceUid: string, sopClassUid: string, transferSyntaxUid: string, dataSetPath: string, volatile: boolean }[]} */
const instances = JSON.parse(readFileSync(list, 'utf8'));
const repo = await FileRepository.open({ root });
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

await Promise.all([worker(), worker(), worker(), worker()]);
