/**
 * The image side of a corpus instance: the modality's acquisition and image attributes (PS3.3
 * C.8.2.1 CT Image, C.8.3.1 MR Image, C.8.1.2 CR Image, C.8.5.6 US Image, C.8.6.2 SC Image),
 * the Image Pixel module (C.7.6.3) with Pixel Data from a file, and the private blocks: a small
 * one with a 2 KiB OB and a private sequence, and on CT and MR an 8 KiB OB like a vendor header.
 */
import type { SeriesPlan } from './corpus-plan.js';
import { IMAGE_SHAPES } from './corpus-plan.js';
import type { Random } from './corpus-random.js';
import { int } from './corpus-random.js';
import type { DumpNode } from './dump-text.js';
import { element as e, elements, fromFile, sequence } from './dump-text.js';

/** Files the dumps refer to, written once into dump2dcm's working folder. */
export const PIXEL_FILE = (modality: string): string => `pixels-${modality.toLowerCase()}.raw`;
export const PRIVATE_BLOB_FILE = 'private-blob.bin';
export const VENDOR_HEADER_FILE = 'vendor-header.bin';

/** A code sequence item (PS3.3 8.8): value, scheme, meaning. */
export const code = (value: string, scheme: string, meaning: string): DumpNode[] => [
  e(0x00080100, 'SH', value),
  e(0x00080102, 'SH', scheme),
  e(0x00080104, 'LO', meaning),
];

/** The Image Pixel module, Pixel Data read by dump2dcm from the modality's file. */
export function imagePixelModule(plan: SeriesPlan): DumpNode[] {
  const shape = IMAGE_SHAPES[plan.modality];
  const stored = plan.modality === 'CT' ? 12 : shape.bitsAllocated;
  const nodes: DumpNode[] = [
    e(0x00280002, 'US', 1),
    e(0x00280004, 'CS', 'MONOCHROME2'),
    e(0x00280010, 'US', shape.rows),
    e(0x00280011, 'US', shape.columns),
    e(0x00280100, 'US', shape.bitsAllocated),
    e(0x00280101, 'US', stored),
    e(0x00280102, 'US', stored - 1),
    e(0x00280103, 'US', 0),
    fromFile(0x7fe00010, shape.bitsAllocated === 8 ? 'OB' : 'OW', PIXEL_FILE(plan.modality)),
  ];
  if (shape.frames > 1) {
    nodes.push(e(0x00280008, 'IS', shape.frames), e(0x00280009, 'AT', '(0018,1063)'));
    nodes.push(e(0x00181063, 'DS', '33.3'));
  }
  if (plan.modality !== 'SC' && plan.modality !== 'US') {
    nodes.push(e(0x00280030, 'DS', plan.modality === 'CR' ? '0.15\\0.15' : '0.7\\0.7'));
  }
  return nodes;
}

/** The private blocks (0009,00xx) and, on CT and MR, (0029,00xx). */
export function privateBlocks(plan: SeriesPlan, random: Random): DumpNode[] {
  const nodes: DumpNode[] = [
    e(0x00090010, 'LO', 'DICOMNET BENCH 1'),
    e(0x00091001, 'LO', `private ${int(random, 1, 1e6)}`),
    e(0x00091002, 'SH', 'BENCH'),
    e(0x00091003, 'DS', '1.5'),
    e(0x00091004, 'UL', int(random, 0, 65535)),
    fromFile(0x00091010, 'OB', PRIVATE_BLOB_FILE),
    sequence(
      0x00091020,
      [e(0x00090010, 'LO', 'DICOMNET BENCH 1'), e(0x00091021, 'LO', 'first private item')],
      [e(0x00090010, 'LO', 'DICOMNET BENCH 1'), e(0x00091021, 'LO', 'second private item')],
    ),
  ];
  if (plan.modality === 'MR' || plan.modality === 'CT') {
    nodes.push(
      e(0x00290010, 'LO', 'VENDOR HEADER'),
      fromFile(0x00291010, 'OB', VENDOR_HEADER_FILE),
    );
  }
  return nodes;
}

/** The modality's own attributes; positions follow the instance number. */
export function modalityModule(
  plan: SeriesPlan,
  instanceNumber: number,
  random: Random,
): DumpNode[] {
  const z = (instanceNumber * 1.25 - 150).toFixed(2);
  switch (plan.modality) {
    case 'CT':
      return [
        elements(0x00080008, 'CS', ['ORIGINAL', 'PRIMARY', 'AXIAL']),
        e(0x00180022, 'CS', 'HELICAL_CT'),
        e(0x00180050, 'DS', '1.25'),
        e(0x00180060, 'DS', '120'),
        e(0x00180090, 'DS', '500'),
        e(0x00181100, 'DS', '360'),
        e(0x00181120, 'DS', '0'),
        e(0x00181130, 'DS', '150'),
        e(0x00181150, 'IS', 500),
        e(0x00181151, 'IS', int(random, 100, 400)),
        e(0x00181152, 'IS', int(random, 50, 200)),
        e(0x00181210, 'SH', 'B30f'),
        sequence(0x00189346, code('113691', 'DCM', 'IEC Body Dosimetry Phantom')),
        elements(0x00200032, 'DS', ['-175', '-175', z]),
        elements(0x00200037, 'DS', [1, 0, 0, 0, 1, 0]),
        e(0x00201041, 'DS', z),
        e(0x00281050, 'DS', '40'),
        e(0x00281051, 'DS', '400'),
        e(0x00281052, 'DS', '-1024'),
        e(0x00281053, 'DS', '1'),
        e(0x00281054, 'LO', 'HU'),
      ];
    case 'MR':
      return [
        elements(0x00080008, 'CS', ['ORIGINAL', 'PRIMARY', 'M', 'NORM']),
        e(0x00180020, 'CS', 'SE'),
        e(0x00180021, 'CS', 'SK'),
        e(0x00180022, 'CS', 'PFP'),
        e(0x00180023, 'CS', '2D'),
        e(0x00180050, 'DS', '5'),
        e(0x00180080, 'DS', '500'),
        e(0x00180081, 'DS', '15'),
        e(0x00180083, 'DS', '1'),
        e(0x00180084, 'DS', '63.87'),
        e(0x00180087, 'DS', '1.5'),
        e(0x00180091, 'IS', 1),
        e(0x00181314, 'DS', '90'),
        elements(0x00181310, 'US', [0, 256, 192, 0]),
        elements(0x00200032, 'DS', ['-120', '-120', z]),
        elements(0x00200037, 'DS', [1, 0, 0, 0, 1, 0]),
        e(0x00201041, 'DS', z),
        e(0x00281050, 'DS', '600'),
        e(0x00281051, 'DS', '1200'),
      ];
    case 'CR':
      return [
        elements(0x00080008, 'CS', ['ORIGINAL', 'PRIMARY']),
        e(0x00180060, 'DS', '110'),
        e(0x00181164, 'DS', '0.15\\0.15'),
        e(0x00185101, 'CS', 'PA'),
        e(0x00200020, 'CS', 'L\\F'),
        sequence(0x00082218, code('51185008', 'SCT', 'Chest')),
      ];
    case 'US':
      return [
        elements(0x00080008, 'CS', ['ORIGINAL', 'PRIMARY', 'ABDOMINAL']),
        e(0x00200020, 'CS', ''),
        e(0x00280014, 'US', 0),
        sequence(0x00082218, code('818981001', 'SCT', 'Abdomen')),
      ];
    case 'SC':
      return [
        elements(0x00080008, 'CS', ['DERIVED', 'SECONDARY']),
        e(0x00080064, 'CS', 'WSD'),
        e(0x00200020, 'CS', ''),
      ];
  }
}
