import { describe, expect, it } from 'vitest';
import { dictionaryVr, isSignedWithPixels } from './data-dictionary.js';

describe('dictionaryVr (PS3.6)', () => {
  it.each(
    [
      [0x00080016, 'UI'], // SOP Class UID
      [0x00100010, 'PN'], // Patient's Name
      [0x00081110, 'SQ'], // Referenced Study Sequence
      [0x00280010, 'US'], // Rows
      [0x00280106, 'US'], // Smallest Image Pixel Value, "US or SS"
      [0x00283006, 'OW'], // LUT Data, "US or OW"
      [0x7fe00010, 'OW'], // Pixel Data, OW in Implicit VR (PS3.5 A.1)
      [0x00041400, 'UL'], // Offset of the Next Directory Record
      [0x00000900, 'US'], // command Status
      [0x00080000, 'UL'], // a group length (PS3.5 7.2)
      [0x00190000, 'UL'], // a private group length
      [0x00190010, 'LO'], // a private creator (PS3.5 7.8.1)
      [0x001900ff, 'LO'],
      [0x00191010, 'UN'], // private data
      [0x60003000, 'OW'], // Overlay Data, repeating group 60xx (PS3.5 7.6)
      [0x601e0010, 'US'], // Overlay Rows in the last overlay group
      [0x60010010, 'LO'], // odd group: private, not an overlay
      [0x50000010, 'US'], // retired Curve: Number of Points
      [0x00203100, 'CS'], // retired element range (0020,3100-31FF)
      [0x00fe0011, 'UN'], // an even group no edition defines
      [0x00080400, 'SQ'], // Scope of Inventory Sequence, newer than DCMTK 3.6.7's dictionary
      [0x00080428, 'UV'], // Total Number of Study Records, likewise
    ].map(([tag, vr]) => [(tag as number).toString(16).padStart(8, '0'), vr] as const),
  )('%s is %s', (tag, vr) => {
    expect(dictionaryVr(Number.parseInt(tag, 16))).toBe(vr);
  });

  it('knows which "US or SS" tags follow the Pixel Representation', () => {
    expect(isSignedWithPixels(0x00280106)).toBe(true);
    expect(isSignedWithPixels(0x00280120)).toBe(true);
    expect(isSignedWithPixels(0x00283002)).toBe(false); // LUT Descriptor
    expect(isSignedWithPixels(0x00280010)).toBe(false);
  });
});
