// DA, TM and DT values as comparable strings (PS3.5 Table 6.2-1; PS3.4 C.2.2.2.5). A value of
// partial precision stands for an interval: its start ("low") and its end ("high"). Range bounds
// use low for the start and high for the end, so `-20201231` includes all of that day and
// `-1800` all of that minute; record values are compared by their start.

/** Which end of the interval a partial value stands for. */
export type Edge = 'low' | 'high';

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const TM = /^(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,6}))?)?)?$/;
const DT =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,6}))?)?)?)?)?)?([+-]\d{4})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function validTime(hour: number, minute: number, second: number): boolean {
  // Second 60 is a leap second (PS3.5 Table 6.2-1).
  return hour <= 23 && minute <= 59 && second <= 60;
}

/** A DA value `YYYYMMDD` (PS3.5 Table 6.2-1), or undefined when it is not one. */
export function normalizeDate(value: string): string | undefined {
  const parts = DA.exec(value);
  if (parts === null) return undefined;
  return validDate(Number(parts[1]), Number(parts[2]), Number(parts[3])) ? value : undefined;
}

/** A TM value as `HHMMSS.FFFFFF` at `edge`, or undefined when it is not a TM. */
export function normalizeTime(value: string, edge: Edge): string | undefined {
  const parts = TM.exec(value);
  if (parts === null) return undefined;
  const [, hour = '', minute, second, fraction] = parts;
  const fill = edge === 'low' ? '00' : '59';
  const time = `${hour}${minute ?? fill}${second ?? fill}`;
  if (!validTime(Number(hour), Number(time.slice(2, 4)), Number(time.slice(4, 6))))
    return undefined;
  return `${time}.${(fraction ?? '').padEnd(6, edge === 'low' ? '0' : '9')}`;
}

/**
 * A DT value as `YYYYMMDDHHMMSS.FFFFFF` at `edge`, moved to UTC by its offset, or by
 * `defaultOffsetMinutes` when it has none (PS3.4 C.2.2.2.5.3: the offset "shall be taken into
 * account"). Undefined when it is not a DT.
 */
export function normalizeDateTime(
  value: string,
  edge: Edge,
  defaultOffsetMinutes = 0,
): string | undefined {
  const parts = DT.exec(value);
  if (parts === null) return undefined;
  const [, y = '', mo, d, h, mi, s, fraction, offset] = parts;
  const high = edge === 'high';
  const year = Number(y);
  const month = Number(mo ?? (high ? '12' : '01'));
  if (month < 1 || month > 12) return undefined;
  const day = d === undefined ? (high ? daysInMonth(year, month) : 1) : Number(d);
  const hour = Number(h ?? (high ? '23' : '00'));
  const minute = Number(mi ?? (high ? '59' : '00'));
  const second = s ?? (high ? '59' : '00');
  if (!validDate(year, month, day) || !validTime(hour, minute, Number(second))) return undefined;
  const offsetMinutes =
    offset === undefined
      ? defaultOffsetMinutes
      : (offset.startsWith('-') ? -1 : 1) *
        (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  // Seconds (a leap second among them) and the fraction are carried as written; only the minutes
  // move with the offset.
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 as written.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, 0, 0);
  const utc = new Date(local.getTime() - offsetMinutes * 60_000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${pad(utc.getUTCFullYear(), 4)}${pad(utc.getUTCMonth() + 1)}${pad(utc.getUTCDate())}` +
    `${pad(utc.getUTCHours())}${pad(utc.getUTCMinutes())}${second}.` +
    (fraction ?? '').padEnd(6, high ? '9' : '0')
  );
}
