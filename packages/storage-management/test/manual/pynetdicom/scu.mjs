// dicomnet's SCU initiating an inventory on scp.py and following its events.
import { createInventoryScu } from '../../../dist/index.js';

const scu = createInventoryScu({
  aeTitle: 'DNSCU',
  onRefused: (refused) =>
    console.log(
      'dicomnet refused',
      refused.eventTypeId,
      `0x${refused.status.toString(16)}`,
      refused.reason,
    ),
});
const transaction = await scu.initiate({
  peer: { host: '127.0.0.1', port: Number(process.argv[2]), calledAeTitle: 'PYSCP' },
  level: 'SERIES',
  scope: {
    keys: { '00081030': { vr: 'LO', Value: ['HEAD*'] } },
    ranges: { '00080020': { vr: 'DA', from: '20240101', to: '20241231' } },
  },
  purpose: 'pynetdicom try',
});
const { status, attributeIdentifierList } = transaction.initiation;
console.log('dicomnet: initiation', `0x${status.toString(16)}`, attributeIdentifierList);
for await (const event of transaction.events()) {
  const total = event.type === 'terminated-without-instances' ? '' : event.totalStudyRecords;
  console.log('dicomnet: event', event.eventTypeId, event.transactionStatus, total);
}
const result = await transaction.done;
console.log('dicomnet: done', result.access.sopInstanceUid, result.access.retrieveAeTitles);
await scu.close();
