// How `dicomnet inventory request|status|cancel|pause|resume` print the SCP's N-EVENT-REPORTs
// (PS3.4 KK.2.3, Table KK.2-2): a line for people, or a JSON object for scripts.
import type { InventoryEvent } from '@dicomnet/storage-management';

const EVENT_NAMES: Readonly<Record<InventoryEvent['type'], string>> = {
  status: 'Inventory Status',
  'terminated-with-instances': 'Inventory Terminated with Instances',
  'terminated-without-instances': 'Inventory Terminated without Instances',
};

/** `event 12 Inventory Status: PROCESSING, 40 study record(s)` and what else the event says. */
export function describeEvent(event: InventoryEvent): string {
  const parts = [
    `event ${event.eventTypeId} ${EVENT_NAMES[event.type]}: ${event.transactionStatus}`,
  ];
  if (event.type !== 'terminated-without-instances')
    parts.push(`${event.totalStudyRecords} study record(s)`);
  if (event.type === 'terminated-with-instances') {
    const { access } = event;
    parts.push(`root ${access.sopInstanceUid}`);
    if (access.retrieveAeTitles.length > 0)
      parts.push(`retrieve AE ${access.retrieveAeTitles.join('\\')}`);
    if (access.retrieveUrl !== undefined) parts.push(`retrieve URL ${access.retrieveUrl}`);
    if (access.fileAccessUri !== undefined) parts.push(`file ${access.fileAccessUri}`);
    if (access.expirationDateTime !== undefined)
      parts.push(`kept until ${access.expirationDateTime}`);
  }
  if (event.comment !== undefined) parts.push(event.comment);
  return parts.join(', ');
}

/** The event as one JSON object (`kind: 'event'`), without the raw Event Information. */
export function eventJson(event: InventoryEvent): Record<string, unknown> {
  return {
    kind: 'event',
    eventTypeId: event.eventTypeId,
    type: event.type,
    transactionUid: event.transactionUid,
    transactionStatus: event.transactionStatus,
    ...(event.comment !== undefined && { comment: event.comment }),
    ...(event.type !== 'terminated-without-instances' && {
      totalStudyRecords: event.totalStudyRecords,
    }),
    ...(event.type === 'terminated-with-instances' && {
      access: {
        ...event.access,
        fileOffsetInContainer: event.access.fileOffsetInContainer?.toString(),
        fileLengthInContainer: event.access.fileLengthInContainer?.toString(),
      },
    }),
  };
}
