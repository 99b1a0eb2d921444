import type { ProposedContext } from '@dicomnet/pdu';

/**
 * Storage SOP classes `dicomnet get` takes instances of (PS3.4 Table B.5-1), each proposed with
 * the SCP role, as a C-GET SCU must (PS3.4 C.4.3.1). 128 contexts at most fit an association
 * (PS3.8 9.3.2.2), so this is the common set, as DCMTK's getscu proposes one.
 */
const STORAGE_CLASSES = [
  '1.2.840.10008.5.1.4.1.1.1', // Computed Radiography
  '1.2.840.10008.5.1.4.1.1.1.1', // Digital X-Ray, for Presentation
  '1.2.840.10008.5.1.4.1.1.1.1.1', // Digital X-Ray, for Processing
  '1.2.840.10008.5.1.4.1.1.1.2', // Digital Mammography X-Ray, for Presentation
  '1.2.840.10008.5.1.4.1.1.1.2.1', // Digital Mammography X-Ray, for Processing
  '1.2.840.10008.5.1.4.1.1.2', // CT
  '1.2.840.10008.5.1.4.1.1.2.1', // Enhanced CT
  '1.2.840.10008.5.1.4.1.1.3.1', // Ultrasound Multi-frame
  '1.2.840.10008.5.1.4.1.1.4', // MR
  '1.2.840.10008.5.1.4.1.1.4.1', // Enhanced MR
  '1.2.840.10008.5.1.4.1.1.6.1', // Ultrasound
  '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture
  '1.2.840.10008.5.1.4.1.1.7.1', // Multi-frame Single Bit Secondary Capture
  '1.2.840.10008.5.1.4.1.1.7.2', // Multi-frame Grayscale Byte Secondary Capture
  '1.2.840.10008.5.1.4.1.1.7.3', // Multi-frame Grayscale Word Secondary Capture
  '1.2.840.10008.5.1.4.1.1.7.4', // Multi-frame True Color Secondary Capture
  '1.2.840.10008.5.1.4.1.1.11.1', // Grayscale Softcopy Presentation State
  '1.2.840.10008.5.1.4.1.1.12.1', // X-Ray Angiographic
  '1.2.840.10008.5.1.4.1.1.12.2', // X-Ray Radiofluoroscopic
  '1.2.840.10008.5.1.4.1.1.13.1.3', // Breast Tomosynthesis
  '1.2.840.10008.5.1.4.1.1.20', // Nuclear Medicine
  '1.2.840.10008.5.1.4.1.1.66.4', // Segmentation
  '1.2.840.10008.5.1.4.1.1.77.1.4', // VL Photographic
  '1.2.840.10008.5.1.4.1.1.88.11', // Basic Text SR
  '1.2.840.10008.5.1.4.1.1.88.22', // Enhanced SR
  '1.2.840.10008.5.1.4.1.1.88.33', // Comprehensive SR
  '1.2.840.10008.5.1.4.1.1.88.59', // Key Object Selection Document
  '1.2.840.10008.5.1.4.1.1.104.1', // Encapsulated PDF
  '1.2.840.10008.5.1.4.1.1.128', // Positron Emission Tomography
  '1.2.840.10008.5.1.4.1.1.130', // Enhanced PET
  '1.2.840.10008.5.1.4.1.1.201.1', // Inventory
  '1.2.840.10008.5.1.4.1.1.481.1', // RT Image
  '1.2.840.10008.5.1.4.1.1.481.2', // RT Dose
  '1.2.840.10008.5.1.4.1.1.481.3', // RT Structure Set
  '1.2.840.10008.5.1.4.1.1.481.5', // RT Plan
];

/** Uncompressed first, then the common compressed syntaxes (PS3.5 Annex A, PS3.6 Table A-1). */
const TRANSFER_SYNTAXES = [
  '1.2.840.10008.1.2.1', // Explicit VR Little Endian
  '1.2.840.10008.1.2', // Implicit VR Little Endian
  '1.2.840.10008.1.2.1.99', // Deflated Explicit VR Little Endian
  '1.2.840.10008.1.2.4.70', // JPEG Lossless, SV1
  '1.2.840.10008.1.2.4.50', // JPEG Baseline
  '1.2.840.10008.1.2.4.80', // JPEG-LS Lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 Lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.5', // RLE Lossless
];

/** The contexts of a C-GET: its SOP class, and the storage classes with the SCP role. */
export function getContexts(sopClassUid: string): ProposedContext[] {
  return [
    { abstractSyntax: sopClassUid, transferSyntaxes: TRANSFER_SYNTAXES.slice(0, 2) },
    ...STORAGE_CLASSES.map((abstractSyntax) => ({
      abstractSyntax,
      transferSyntaxes: TRANSFER_SYNTAXES,
      roles: { scu: false, scp: true },
    })),
  ];
}

/** The context of a C-MOVE: its SOP class only (the instances go elsewhere). */
export function moveContexts(sopClassUid: string): ProposedContext[] {
  return [{ abstractSyntax: sopClassUid, transferSyntaxes: TRANSFER_SYNTAXES.slice(0, 2) }];
}
