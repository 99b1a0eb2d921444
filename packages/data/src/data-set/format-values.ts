// Model values as the text DICOM encodes them, shared by both codecs' encoders.
import type { PersonName } from './data-set.js';

/** Component groups → `Alphabetic=Ideographic=Phonetic`, trailing empty groups dropped. */
export function formatPersonName(name: PersonName): string {
  return [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? '']
    .join('=')
    .replace(/=+$/, '');
}

/**
 * A number as a Decimal String of at most 16 characters (PS3.5 Table 6.2-1), shortest exact form
 * first, fewer significant digits only when needed. Strings pass through unchanged.
 */
export function formatDecimal(value: string | number): string {
  if (typeof value === 'string') return value;
  const plain = String(value);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits >= 1; digits--) {
    const shorter = Number(value.toPrecision(digits)).toString();
    if (shorter.length <= 16) return shorter;
    const exponential = value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
    if (exponential.length <= 16) return exponential;
  }
  return value.toExponential(0);
}
