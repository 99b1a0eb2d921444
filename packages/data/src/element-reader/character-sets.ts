// Decoding text of the VRs that use Specific Character Set (0008,0005) (PS3.5 6.1; the Defined
// Terms are PS3.3 C.12.1.1.2). Single-byte sets and ISO_IR 192 / GB18030 / GBK decode fully; so
// do ISO 2022 code extensions ("ISO 2022 IR …", iso-2022.ts): the single-byte sets, Japanese (IR
// 13, 87, 159), Korean (IR 149) and Chinese (IR 58). An unknown term or escape sequence is refused
// as DICOMNET_DATASET_UNSUPPORTED (features `character-set`, `iso-2022-escapes`).
import { DataSetDecodeError } from '../data-set/errors.js';
import { iso2022Decoding, isIso2022Term } from './iso-2022.js';

/** Turns the bytes of one text value into a string. */
export type TextDecoding = (bytes: Uint8Array) => string;

/** WHATWG encoding label of each Defined Term (without the `ISO 2022 ` / `ISO_IR ` prefix). */
const LABELS: Readonly<Record<string, string>> = {
  'IR 6': 'latin1-exact',
  'IR 100': 'latin1-exact', // Latin-1; WHATWG's "iso-8859-1" is windows-1252, so Buffer's latin1
  'IR 101': 'iso-8859-2',
  'IR 109': 'iso-8859-3',
  'IR 110': 'iso-8859-4',
  'IR 144': 'iso-8859-5',
  'IR 127': 'iso-8859-6',
  'IR 126': 'iso-8859-7',
  'IR 138': 'iso-8859-8',
  'IR 148': 'iso-8859-9', // WHATWG: windows-1254, the same but for 0x80–0x9F (C1 controls)
  'IR 203': 'iso-8859-15',
  'IR 166': 'windows-874', // TIS 620-2533, of which windows-874 is a superset
  'IR 13': 'shift_jis', // JIS X 0201 single bytes read the same in Shift_JIS
  'IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

const cache = new Map<string, TextDecoding>();

// Most values (UIDs, dates, codes, names) are short: made from their bytes in one call, they
// spare a Buffer each. Latin-1 maps each byte to the code point of its value.
const SHORT_TEXT_BYTES = 64;

function latin1(bytes: Uint8Array): string {
  const length = bytes.byteLength;
  if (length > SHORT_TEXT_BYTES)
    return Buffer.from(bytes.buffer, bytes.byteOffset, length).toString('latin1');
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** Text of the default repertoire (PS3.5 6.1.2.1), and of VRs that never use another. */
export const defaultDecoding: TextDecoding = latin1;

/**
 * The decoding for the values of Specific Character Set (0008,0005); the default repertoire
 * when it is absent or empty.
 * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_UNSUPPORTED` (feature `character-set`) for
 *   a term not listed in PS3.3 C.12.1.1.2.
 */
export function textDecoding(specificCharacterSet: readonly string[] | undefined): TextDecoding {
  const terms = (specificCharacterSet ?? []).map((term) => term.trim());
  const key = terms.join('\\');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const decoding = build(terms);
  cache.set(key, decoding);
  return decoding;
}

function build(terms: readonly string[]): TextDecoding {
  const first = terms[0] ?? '';
  if (terms.some((term) => term.startsWith('ISO 2022 '))) {
    // PS3.5 6.1.2.5: with code extensions every value names a set; an empty first value is the
    // default repertoire.
    if (!terms.every((term, i) => (i === 0 && term === '') || isIso2022Term(term)))
      unsupported(terms, 'character-set');
    return iso2022Decoding(first);
  }
  const name = first === '' ? 'IR 6' : first.replace(/^ISO_IR /, 'IR ');
  const label = Object.hasOwn(LABELS, name) ? LABELS[name] : undefined;
  if (label === undefined) unsupported(terms, 'character-set');
  return label === 'latin1-exact' ? latin1 : textDecoderFor(label, terms.join('\\'));
}

function unsupported(terms: readonly string[], feature: string): never {
  throw new DataSetDecodeError(
    'DICOMNET_DATASET_UNSUPPORTED',
    `unsupported Specific Character Set "${terms.join('\\')}" (PS3.3 C.12.1.1.2)`,
    {},
    feature,
  );
}

function textDecoderFor(label: string, terms: string): TextDecoding {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch (error) {
    // A Node.js built without full ICU lacks the legacy encodings.
    throw new DataSetDecodeError(
      'DICOMNET_DATASET_UNSUPPORTED',
      `this Node.js cannot decode "${terms}" (${label})`,
      {},
      'character-set',
      { cause: error },
    );
  }
  return (bytes) => decoder.decode(bytes);
}
