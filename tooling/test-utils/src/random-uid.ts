import { randomBytes } from 'node:crypto';

/** Length of every UID from {@link randomUid}: `2.25.` and 38 digits. */
export const RANDOM_UID_LENGTH = 43;

/**
 * A fresh UID under the `2.25` root, whose single component is a random integer below 2^128
 * (PS3.5 §B.2). It always has 38 digits without a leading zero, so all are the same length:
 * the instance generator swaps UIDs in a file byte for byte without touching a length field.
 */
export function randomUid(): string {
  const bytes = randomBytes(38);
  let digits = String(1 + ((bytes[0] ?? 0) % 9)); // 10^37 <= value < 10^38 < 2^128
  for (let i = 1; i < 38; i++) digits += String((bytes[i] ?? 0) % 10);
  return `2.25.${digits}`;
}
