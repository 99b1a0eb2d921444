// A process that runs a script of stores and deletes on a durable FileRepository (the built
// package), tells its parent after each one resolved ({type:'done', step}), then idles until it
// is killed: the parent then plays what a power failure could do to the files that were never
// synced, and checks what the journal's replay brings back.
// Usage: fork(journal-child.mjs, [root, stepsJson]); each step is
// {op:'store', sopInstanceUid, sopClassUid, transferSyntaxUid, dataSetPath} or {op:'delete', sopInstanceUid}.
import { readFileSync } from 'node:fs';
import { setInterval } from 'node:timers';
import { FileRepository } from '@dicomnet/repository';

const [root, stepsFile] = process.argv.slice(2);
if (root === undefined || stepsFile === undefined || process.send === undefined) {
  process.exitCode = 2;
  throw new Error('usage: fork(journal-child.mjs, [root, stepsJson])');
}
const steps = JSON.parse(readFileSync(stepsFile, 'utf8'));
const repo = await FileRepository.open({ root });
for (const [index, step] of steps.entries()) {
  if (step.op === 'delete') await repo.delete(step.sopInstanceUid);
  else
    await repo.store({
      dataSet: readFileSync(step.dataSetPath),
      sopClassUid: step.sopClassUid,
      sopInstanceUid: step.sopInstanceUid,
      transferSyntaxUid: step.transferSyntaxUid,
    });
  process.send({ type: 'done', step: index });
}
process.send({ type: 'idle' });
setInterval(() => undefined, 60_000); // idles until killed
