// The one place that loads dcmjs 0.52.2 and the shims the adapter needs. The defect numbers are
// those of the project notes spec/dcmjs-notes.md ("Known defects").
//
// dcmjs is loaded on first use, not when @dicomnet/data is imported: it is 1.4 MB of JavaScript
// that takes 60-90 ms to compile, and a C-ECHO or a C-STORE of files never decodes a data set.
// Loading must stay synchronous (DataSetCodec is synchronous), hence `require`; both builds of
// this package (ESM and CJS) thus use dcmjs's one CJS instance (dcmjs-notes.md "How to load it":
// one module system).
import { createRequire } from 'node:module';
import type * as Dcmjs from 'dcmjs';
import type { DictionaryEntry, ReadBufferStream, WriteBufferStream } from 'dcmjs';
import { vrInfo } from './value-representation.js';

let loaded: typeof Dcmjs | undefined;
let inheritingReadStream: InheritingReadStreamClass | undefined;

function dcmjs(): typeof Dcmjs {
  if (loaded !== undefined) return loaded;
  // In the CJS build the bundler puts the bundle's own URL here (tsup.config.ts). The cast is
  // safe: dcmjs.d.ts declares what this package uses of the module it names.
  loaded = createRequire(import.meta.url)('dcmjs') as typeof Dcmjs;
  return loaded;
}

/** dcmjs's reader/writer entry points (`_read`, `write`). */
export function dicomMessage(): Dcmjs.DicomMessageStatic {
  return dcmjs().data.DicomMessage;
}

/** A new dcmjs write stream. */
export function newWriteStream(defaultSize: number, littleEndian: boolean): WriteBufferStream {
  return new (dcmjs().data.WriteBufferStream)(defaultSize, littleEndian);
}

type InheritingReadStreamClass = new (
  buffer: ArrayBuffer | null,
  littleEndian?: boolean,
) => ReadBufferStream;

/**
 * A dcmjs read stream whose item sub-streams inherit its text decoder. dcmjs's own `more()`
 * creates every item stream with a latin1 decoder, so UTF-8 text inside sequence items comes
 * out as mojibake (defect 3, dcmjs issue #454). Only streams the adapter creates are affected;
 * dcmjs's prototypes stay untouched.
 */
export function newInheritingReadStream(
  buffer: ArrayBuffer,
  littleEndian: boolean,
): ReadBufferStream {
  inheritingReadStream ??= class InheritingReadStream extends dcmjs().data.ReadBufferStream {
    override more(length: number): ReadBufferStream {
      if (this.offset + length > this.endOffset)
        throw new RangeError('item runs past its container');
      const item = new InheritingReadStream(this.slice(this.offset, this.offset + length));
      item.setDecoder(this.decoder);
      this.increment(length);
      item.setComplete();
      return item;
    }
  };
  return new inheritingReadStream(buffer, littleEndian);
}

/** Dictionary VR codes that stand for a choice (PS3.6 "US or SS", "OB or OW"…). */
const AMBIGUOUS_VRS: Readonly<Record<string, string>> = {
  // PS3.5 A.1: in Implicit VR, Pixel Data, Overlay Data and Waveform Data are OW.
  ox: 'OW',
  // "US or SS": read as US; the adapter turns it into SS when Pixel Representation is 1.
  xs: 'US',
  // LUT Data "US or OW": OW keeps the bytes exactly.
  lt: 'OW',
  // Directory record offsets, "up" = UL pointer.
  up: 'UL',
};

/** Marks a dictionary entry the adapter rewrote, with the original ambiguous code. */
const AMBIGUOUS_MARK = 'dicomnetAmbiguousVr';

/** The dictionary VR of a tag as dcmjs will use it, and the ambiguous code it replaced. */
export interface DictionaryVr {
  readonly vr: string;
  readonly ambiguous?: string;
}

/**
 * Looks a tag up in dcmjs's dictionary. An entry with an ambiguous or missing VR is rewritten
 * in place to a concrete VR (defects 14 and 16: dcmjs has no API for it, but own properties of
 * `DicomMetaDictionary.dictionary` win over its packed table), because dcmjs otherwise logs
 * "Invalid vr type" and falls back to UN or US. The rewrite is idempotent and only ever
 * concretises; it is visible to other users of the same dcmjs instance.
 */
export function dictionaryVr(tag: number): DictionaryVr | undefined {
  const dictionary = dcmjs().data.DicomMetaDictionary.dictionary;
  const key = punctuate(tag);
  const entry = dictionary[key];
  if (entry === undefined) return undefined;
  const marked = (entry as DictionaryEntry & { [AMBIGUOUS_MARK]?: string })[AMBIGUOUS_MARK];
  if (marked !== undefined) return { vr: entry.vr, ambiguous: marked };
  if (typeof entry.vr === 'string' && vrInfo(entry.vr) !== undefined) return { vr: entry.vr };
  const original = String(entry.vr);
  const vr = AMBIGUOUS_VRS[original] ?? 'UN';
  dictionary[key] = { ...entry, vr, [AMBIGUOUS_MARK]: original } as DictionaryEntry;
  return { vr, ambiguous: original };
}

/**
 * The VR dcmjs gives an element in Implicit VR (DicomMessage._readTag): the dictionary's, else
 * SQ for an undefined length, OW for Pixel Data, LO for a private creator, else UN.
 */
export function implicitVrAsDcmjs(tag: number, undefinedLength: boolean): string {
  const known = dictionaryVr(tag);
  if (known !== undefined) return known.vr;
  if (undefinedLength) return 'SQ';
  if (tag === 0x7fe00010) return 'OW';
  const element = tag & 0xffff;
  if ((tag >>> 16) % 2 === 1 && element > 0 && element < 0x100) return 'LO';
  return 'UN';
}

/**
 * The TextDecoder label dcmjs uses for a Specific Character Set term, or undefined when dcmjs
 * does not know the term (it would throw "Unsupported character set").
 */
export function dcmjsDecoderLabel(term: string): string | undefined {
  const key = term.replace(/[_ ]/g, '-').toLowerCase();
  const { encodingMapping } = dcmjs().constants;
  return Object.hasOwn(encodingMapping, key) ? encodingMapping[key] : undefined;
}

function punctuate(tag: number): string {
  const hex = tag.toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}
