import { single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';

/**
 * Service-specific statuses of the Print Management Service Class (PS3.4 Annex H): warnings
 * B6xx and failures C6xx of the Basic Film Session (H.4.1), Basic Film Box (H.4.2) and Image
 * Box (H.4.3) SOP classes. Each code means the same wherever it is used, so one table holds
 * them all.
 */
export const PrintManagementStatus = {
  Success: 0x0000, // PS3.4 H.4.1.2.1.2, Table H.4-9
  MemoryAllocationNotSupported: 0xb600, // PS3.4 H.4.1.2.1.2 (Film Session N-CREATE)
  CollationNotSupported: 0xb601, // PS3.4 H.4.1.2.4 (Film Session N-ACTION)
  FilmSessionEmptyPage: 0xb602, // PS3.4 H.4.1.2.4 (Film Session N-ACTION)
  FilmBoxEmptyPage: 0xb603, // PS3.4 Table H.4-9 (Film Box N-ACTION)
  ImageDemagnified: 0xb604, // PS3.4 Table H.4-9
  DensityOutOfRange: 0xb605, // PS3.4 H.4.2.2.1.2 (Film Box N-CREATE)
  ImageCropped: 0xb609, // PS3.4 Table H.4-9
  ImageDecimated: 0xb60a, // PS3.4 Table H.4-9
  NoFilmBoxes: 0xc600, // PS3.4 H.4.1.2.4 (Film Session N-ACTION)
  FilmSessionPrintQueueFull: 0xc601, // PS3.4 H.4.1.2.4 (Film Session N-ACTION)
  FilmBoxPrintQueueFull: 0xc602, // PS3.4 Table H.4-9 (Film Box N-ACTION)
  ImageLargerThanImageBox: 0xc603, // PS3.4 Table H.4-9; H.4.3 (Image Box N-SET)
  InsufficientPrinterMemory: 0xc605, // PS3.4 H.4.3 (Image Box N-SET)
  CombinedImageLargerThanImageBox: 0xc613, // PS3.4 Table H.4-9; H.4.3 (Image Box N-SET)
  UnprintedFilmBoxExists: 0xc616, // PS3.4 H.4.2.2.1.2 (Film Box N-CREATE)
} as const;

/** A code named in {@link PrintManagementStatus}. */
export type PrintManagementStatus =
  (typeof PrintManagementStatus)[keyof typeof PrintManagementStatus];

const H41 = 'PS3.4 H.4.1.2';
const H42 = 'PS3.4 H.4.2.2';
const H49 = 'PS3.4 Table H.4-9';
const H43 = 'PS3.4 H.4.3.1.2';

/** The B6xx/C6xx statuses of PS3.4 Annex H. */
export const PRINT_MANAGEMENT_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Success', H41),
  single(0xb600, 'Warning', 'Memory allocation not supported', H41),
  single(0xb601, 'Warning', 'Film session printing (collation) is not supported', H41),
  single(
    0xb602,
    'Warning',
    'Film Session SOP Instance hierarchy does not contain Image Box SOP Instances (empty page)',
    H41,
  ),
  single(
    0xb603,
    'Warning',
    'Film Box SOP Instance hierarchy does not contain Image Box SOP Instances (empty page)',
    H49,
  ),
  single(
    0xb604,
    'Warning',
    'Image size is larger than image box size, the image has been demagnified',
    H49,
  ),
  single(
    0xb605,
    'Warning',
    "Requested Min Density or Max Density outside of printer's operating range; the printer uses its own minimum or maximum instead",
    H42,
  ),
  single(
    0xb609,
    'Warning',
    'Image size is larger than the Image Box size; the image has been cropped to fit',
    H49,
  ),
  single(
    0xb60a,
    'Warning',
    'Image size or Combined Print Image size is larger than the Image Box size; the image has been decimated to fit',
    H49,
  ),
  single(
    0xc600,
    'Failure',
    'Failed: Film Session SOP Instance hierarchy does not contain Film Box SOP Instances',
    H41,
  ),
  single(
    0xc601,
    'Failure',
    'Failed: Unable to create Print Job SOP Instance; print queue is full',
    H41,
  ),
  single(
    0xc602,
    'Failure',
    'Failed: Unable to create Print Job SOP Instance; print queue is full',
    H49,
  ),
  single(0xc603, 'Failure', 'Failed: Image size is larger than image box size', H49),
  single(0xc605, 'Failure', 'Failed: Insufficient memory in printer to store the image', H43),
  single(
    0xc613,
    'Failure',
    'Failed: Combined Print Image size is larger than the Image Box size',
    H49,
  ),
  single(
    0xc616,
    'Failure',
    'Failed: There is an existing Film Box that has not been printed and N-ACTION at the Film Session level is not supported',
    H42,
  ),
]);
