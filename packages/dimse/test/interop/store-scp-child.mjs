// Our Storage SCP (storeToDirectory) from the built package, alone in its process, so that a
// test can kill it with SIGKILL mid-transfer and start it again on the same folder.
// Usage: fork(store-scp-child.mjs, [outputDir]). Messages to the parent:
// {type:'leftovers', paths} (once, if any were removed), {type:'listening', port}.
import { createServer, isStorageSopClass, storeToDirectory } from '@dicomnet/dimse';

const dir = process.argv[2];
if (dir === undefined || process.send === undefined) {
  process.exitCode = 2;
  throw new Error('usage: fork(store-scp-child.mjs, [outputDir])');
}
const send = (message) => process.send?.(message);

const server = createServer({
  contexts: [
    { abstractSyntax: '1.2.840.10008.1.1', transferSyntaxes: ['1.2.840.10008.1.2'] },
    { abstractSyntax: isStorageSopClass, transferSyntaxes: ['1.2.840.10008.1.2.1'] },
  ],
  handlers: {
    store: storeToDirectory(dir, {
      fsync: false,
      onLeftoversRemoved: (paths) => send({ type: 'leftovers', paths }),
    }),
  },
});
const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
send({ type: 'listening', port });
// The parent went away: do not outlive it.
process.on('disconnect', () => process.exit(1));
