// dicomnet's SCU listening for reports of transaction 2.25.777 (run call.py against it).
import { createInventoryScu } from '../../../dist/index.js';

const scu = createInventoryScu({ aeTitle: 'DNSCU' });
const transaction = scu.transaction('2.25.777');
const { port } = await scu.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
console.log('dicomnet: listening', port);
void (async () => {
  for await (const event of transaction.events()) {
    console.log('dicomnet: event', event.eventTypeId, event.transactionStatus, event.comment ?? '');
  }
})().catch(() => {});
const timeout = globalThis.AbortSignal.timeout(60_000);
try {
  await transaction.wait({ signal: timeout });
} catch (error) {
  console.log('dicomnet: done rejected', error.code, error.comment);
}
await scu.close();
