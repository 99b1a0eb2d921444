/** The random values of the corpus, each drawn from a seeded generator. */

/** A seeded generator: `seededRandom` of ../dcmjs/data-sets.ts. */
export type Random = () => number;

/** An integer from `low` to `high`, both included. */
export const int = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));
/** Two digits, zero-padded. */
export const two = (value: number): string => String(value).padStart(2, '0');

/** A `2.25` UID (PS3.5 B.2) of 30 to 39 digits: odd and even lengths, so NUL padding too. */
export function uid(random: Random): string {
  const length = int(random, 30, 39);
  let digits = String(int(random, 1, 9));
  while (digits.length < length) digits += String(int(random, 0, 9));
  return `2.25.${digits}`;
}

/** YYYYMMDD between the given years (PS3.5 6.2 DA). */
export function date(random: Random, fromYear: number, toYear: number): string {
  return `${int(random, fromYear, toYear)}${two(int(random, 1, 12))}${two(int(random, 1, 28))}`;
}

/** HHMMSS with an optional fraction, as devices write it (PS3.5 6.2 TM). */
export function time(hour: number, minute: number, second: number, fraction?: number): string {
  const base = `${two(hour)}${two(minute)}${two(second)}`;
  return fraction === undefined ? base : `${base}.${String(fraction).padStart(6, '0')}`;
}
