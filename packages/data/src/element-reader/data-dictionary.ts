// The data dictionary for Implicit VR (PS3.5 7.1.3: the VR is "determined by the Tag"). The
// table is generated (scripts/make-dictionary.mjs) and only parsed when a first Implicit VR
// element asks, so that `import '@dicomnet/data'` does not pay for it.
import {
  DICTIONARY_RANGES,
  DICTIONARY_SIGNED_WITH_PIXELS,
  dictionaryEntries,
} from './dictionary-table.js';

interface Range {
  readonly firstGroup: number;
  readonly lastGroup: number;
  readonly firstElement: number;
  readonly lastElement: number;
  readonly vr: string;
}

let tags: Map<number, string> | undefined;
let ranges: readonly Range[] | undefined;
let signedWithPixels: Set<number> | undefined;

function load(): Map<number, string> {
  const map = new Map<number, string>();
  const entries = dictionaryEntries();
  for (let i = 0; i + 10 <= entries.length; i += 10)
    map.set(Number.parseInt(entries.slice(i, i + 8), 16), entries.slice(i + 8, i + 10));
  ranges = DICTIONARY_RANGES.map((entry) => ({
    firstGroup: Number.parseInt(entry.slice(0, 4), 16),
    lastGroup: Number.parseInt(entry.slice(4, 8), 16),
    firstElement: Number.parseInt(entry.slice(8, 12), 16),
    lastElement: Number.parseInt(entry.slice(12, 16), 16),
    vr: entry.slice(16, 18),
  }));
  tags = map;
  return map;
}

/**
 * The VR of `tag` (`0xggggeeee`) in PS3.6, as read from Implicit VR:
 * - multi-VR entries resolved as PS3.5 A.1 reads them: "OB or OW" (Pixel, Overlay, Waveform
 *   Data) as OW, LUT Data "US or SS or OW" as OW, "US or SS" as US (the element reader makes it
 *   SS after a Pixel Representation of 1: {@link isSignedWithPixels});
 * - group lengths (gggg,0000) UL (PS3.5 7.2); private creators (odd gggg, 0010–00FF) LO (PS3.5
 *   7.8.1); repeating groups 50xx, 60xx and 7Fxx for even groups only (PS3.5 7.6);
 * - `UN` for any other private tag and for a tag this edition of the dictionary does not know
 *   (PS3.5 6.2.2).
 */
export function dictionaryVr(tag: number): string {
  const known = (tags ?? load()).get(tag);
  if (known !== undefined) return known;
  const group = tag >>> 16;
  const element = tag & 0xffff;
  if (element === 0) return 'UL';
  if (group % 2 === 1) return element >= 0x0010 && element <= 0x00ff ? 'LO' : 'UN';
  for (const range of ranges ?? []) {
    if (
      group >= range.firstGroup &&
      group <= range.lastGroup &&
      element >= range.firstElement &&
      element <= range.lastElement
    ) {
      return range.vr;
    }
  }
  return 'UN';
}

/**
 * True for the "US or SS" tags whose values take the signedness of the pixels: read as SS when
 * Pixel Representation (0028,0103) is 1 (PS3.3 C.7.6.3.1.4), as DCMTK does. The LUT Descriptors
 * stay US (PS3.3 C.11.1.1.1: their first and third values are unsigned).
 */
export function isSignedWithPixels(tag: number): boolean {
  if (signedWithPixels === undefined) {
    signedWithPixels = new Set<number>();
    for (let i = 0; i + 8 <= DICTIONARY_SIGNED_WITH_PIXELS.length; i += 8)
      signedWithPixels.add(Number.parseInt(DICTIONARY_SIGNED_WITH_PIXELS.slice(i, i + 8), 16));
  }
  return signedWithPixels.has(tag);
}
