// DICOM date and time strings in UTC (PS3.5 Table 6.2-1). An inventory's Content Date/Time and
// its Item Inventory DateTimes are written in UTC, and the instance says so with Timezone Offset
// From UTC (0008,0201) "+0000" (PS3.3 C.12.1), so readers in any zone agree on the moment.

const two = (value: number): string => String(value).padStart(2, '0');

/** DA `YYYYMMDD` of `date` in UTC. */
export function dicomDate(date: Date): string {
  return `${date.getUTCFullYear()}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}`;
}

/** TM `HHMMSS.FFF` of `date` in UTC. */
export function dicomTime(date: Date): string {
  const millis = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}.${millis}`;
}

/** DT `YYYYMMDDHHMMSS.FFF+0000` of `date`. */
export function dicomDateTime(date: Date): string {
  return `${dicomDate(date)}${dicomTime(date)}+0000`;
}
