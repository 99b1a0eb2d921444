/** The root of most Storage SOP Class UIDs (PS3.4 Table B.5-1). */
const STORAGE_ROOT = '1.2.840.10008.5.1.4.1.1.';

/** Storage SOP classes outside {@link STORAGE_ROOT} (PS3.4 Table B.5-1). */
const OTHER_STORAGE_CLASSES: ReadonlySet<string> = new Set([
  '1.2.840.10008.5.1.4.34.7', // RT Beams Delivery Instruction Storage
  '1.2.840.10008.5.1.4.34.10', // RT Brachy Application Setup Delivery Instruction Storage
  '1.2.840.10008.5.1.4.43.1', // Generic Implant Template Storage
  '1.2.840.10008.5.1.4.44.1', // Implant Assembly Template Storage
  '1.2.840.10008.5.1.4.45.1', // Implant Template Group Storage
]);

/**
 * SOP classes under {@link STORAGE_ROOT} that are not Storage: Inventory FIND/MOVE/GET,
 * Inventory Creation and Repository Query (PS3.4 Annexes JJ, KK; PS3.6 Table A-1).
 */
const NOT_STORAGE: ReadonlySet<string> = new Set([
  '1.2.840.10008.5.1.4.1.1.201.2',
  '1.2.840.10008.5.1.4.1.1.201.3',
  '1.2.840.10008.5.1.4.1.1.201.4',
  '1.2.840.10008.5.1.4.1.1.201.5',
  '1.2.840.10008.5.1.4.1.1.201.6',
]);

/**
 * Whether a SOP Class UID names a Storage SOP class (PS3.4 Annex B), standard ones by their
 * UID root. Meant as the `abstractSyntax` predicate of a Storage SCP's supported context.
 */
export function isStorageSopClass(uid: string): boolean {
  if (OTHER_STORAGE_CLASSES.has(uid)) return true;
  return uid.startsWith(STORAGE_ROOT) && !NOT_STORAGE.has(uid) && /^[0-9.]+$/.test(uid);
}
