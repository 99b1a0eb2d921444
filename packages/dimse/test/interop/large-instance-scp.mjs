// Our Storage SCP from the built package (dist), alone in its process, so that the parent test
// can read this process's peak resident set size after a large C-STORE.
// Usage: node large-instance-scp.mjs <output dir>   (started with an IPC channel: fork())
// Messages to the parent: {type:'listening', port}, {type:'stored', bytes},
// {type:'ended', error}, {type:'report', maxRssBytes}. From the parent: 'report', 'stop'.
import { mkdir } from 'node:fs/promises';
import { createServer, isStorageSopClass, storeToDirectory } from '@dicomnet/dimse';

const dir = process.argv[2];
if (dir === undefined || process.send === undefined) {
  process.exitCode = 2;
  throw new Error('usage: fork(large-instance-scp.mjs, [outputDir])');
}
const send = (message) => process.send?.(message);
await mkdir(dir, { recursive: true }); // storeToDirectory writes into an existing folder

const server = createServer({
  aeTitles: ['DICOMNET'],
  contexts: [{ abstractSyntax: isStorageSopClass, transferSyntaxes: ['1.2.840.10008.1.2.1'] }],
  handlers: {
    store: storeToDirectory(dir, { onStored: ({ bytes }) => send({ type: 'stored', bytes }) }),
  },
  onAssociationEnd: (_negotiated, error) => send({ type: 'ended', error: error?.code ?? null }),
});
const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
send({ type: 'listening', port });

process.on('message', (message) => {
  if (message === 'report') {
    // resourceUsage().maxRSS is in kilobytes (getrusage ru_maxrss on Linux).
    send({ type: 'report', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  } else if (message === 'stop') {
    void server
      .abortAll()
      .then(() => server.close())
      .finally(() => process.exit(0));
  }
});
// The parent went away: do not outlive it.
process.on('disconnect', () => process.exit(1));
