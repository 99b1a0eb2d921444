import { isServiceName } from './service-name.js';
import type { ServiceName, StatusTableName } from './service-name.js';
import { isInStatusClass, statusCategory } from './status-category.js';
import type { StatusCategory } from './status-category.js';
import { findRow, statusesOf } from './status-tables.js';

/** What a status code means, and where the standard says so. */
export interface StatusDescription {
  /** The code looked up. */
  readonly code: number;
  /** Its class: from the table that lists it, else from {@link statusCategory}. */
  readonly category: StatusCategory;
  /** The meaning from the table, or `Unknown <category> status` when no table lists it. */
  readonly meaning: string;
  /** The table the meaning came from: the service asked about, or `General` (PS3.7 Annex C). */
  readonly service: StatusTableName;
  /** The section or table of the standard, e.g. `PS3.4 Table KK.2.2.3-1`. */
  readonly reference: string;
  /** False when no table lists the code and `meaning` is only the generic one. */
  readonly known: boolean;
}

/**
 * Explains a DIMSE status code. Looks in the table of `service` first (exact codes, then
 * ranges such as `Cxxx`), then in the general statuses of PS3.7 Annex C, and otherwise falls
 * back to a generic meaning for the code's class ("Unknown failure status"). The same code can
 * mean different things per service: `0xB000` is "Coercion of Data Elements" for Storage but
 * "Sub-operations complete - one or more failures or warnings" for C-MOVE.
 * @param code - The Status (0000,0900) value, 0..0xFFFF.
 * @param service - The service context the response belongs to; omit for the general table.
 * @throws RangeError if `code` is not an integer in 0..0xFFFF, or `service` is not a
 *   {@link ServiceName}.
 */
export function describeStatus(code: number, service?: ServiceName): StatusDescription {
  const category = statusCategory(code);
  if (service !== undefined) {
    if (!isServiceName(service)) throw new RangeError(`unknown service: ${String(service)}`);
    const row = findRow(statusesOf(service), code);
    if (row !== undefined) {
      const { meaning, reference } = row;
      return { code, category: row.category, meaning, service, reference, known: true };
    }
  }
  const general = findRow(statusesOf('General'), code);
  if (general !== undefined) {
    const { meaning, reference } = general;
    return {
      code,
      category: general.category,
      meaning,
      service: 'General',
      reference,
      known: true,
    };
  }
  return {
    code,
    category,
    meaning: isInStatusClass(code)
      ? `Unknown ${category.toLowerCase()} status`
      : // PS3.7 Annex C: "Implementations shall not use Status Codes with values not listed".
        `Unknown ${category.toLowerCase()} status (outside the status classes of PS3.7 Annex C)`,
    service: 'General',
    reference: 'PS3.7 Annex C',
    known: false,
  };
}

/**
 * Formats a status code the way logs and conformance statements show it: `0x` and four
 * upper-case hex digits, e.g. `formatStatus(0x0123)` is `"0x0123"`.
 * @throws RangeError if `code` is not an integer in 0..0xFFFF.
 */
export function formatStatus(code: number): string {
  statusCategory(code); // validates the range
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
