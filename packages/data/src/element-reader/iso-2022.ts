// Text with ISO 2022 code extensions (PS3.5 6.1.2.5; escape sequences of PS3.3 C.12.1.1.2,
// Tables C.12-3 and C.12-4): the bytes are cut at each escape sequence, and each run is decoded
// by the sets then designated: bytes below 0x80 by G0, the others by G1. Japanese runs (JIS X
// 0208, JIS X 0212 in G0, JIS X 0201 katakana in G1) are rewritten to EUC-JP first, Korean (KS X
// 1001) and Chinese (GB 2312) G1 runs are EUC-KR and EUC-CN as they are.
import { DataSetDecodeError } from '../data-set/errors.js';

/** What G0 holds: ASCII, JIS X 0201 romaji, or a two-byte Japanese set. */
type G0 = 'ascii' | 'romaji' | 'jisx0208' | 'jisx0212';

/** The designations in force. */
interface State {
  g0: G0;
  /** WHATWG label of the G1 set; 'katakana' for JIS X 0201; undefined when none. */
  g1: string | undefined;
}

const ESC = 0x1b;

/** G1 of each Defined Term's single-byte or G1 set, as the first term sets it up. */
const INITIAL_G1: Readonly<Record<string, string | undefined>> = {
  'ISO 2022 IR 6': undefined,
  'ISO 2022 IR 13': 'katakana',
  'ISO 2022 IR 100': 'latin1',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO 2022 IR 109': 'iso-8859-3',
  'ISO 2022 IR 110': 'iso-8859-4',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO 2022 IR 127': 'iso-8859-6',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO 2022 IR 148': 'iso-8859-9',
  'ISO 2022 IR 203': 'iso-8859-15',
  'ISO 2022 IR 166': 'windows-874',
  'ISO 2022 IR 149': 'euc-kr',
  'ISO 2022 IR 58': 'gb18030',
};

/** Escape sequences (the bytes after ESC, as text) and what they designate. */
const DESIGNATIONS: Readonly<Record<string, { g0?: G0; g1?: string }>> = {
  '(B': { g0: 'ascii' },
  '(J': { g0: 'romaji' },
  $B: { g0: 'jisx0208' },
  '$(D': { g0: 'jisx0212' },
  ')I': { g1: 'katakana' },
  '$)C': { g1: 'euc-kr' },
  '$)A': { g1: 'gb18030' },
  '-A': { g1: 'latin1' },
  '-B': { g1: 'iso-8859-2' },
  '-C': { g1: 'iso-8859-3' },
  '-D': { g1: 'iso-8859-4' },
  '-L': { g1: 'iso-8859-5' },
  '-G': { g1: 'iso-8859-6' },
  '-F': { g1: 'iso-8859-7' },
  '-H': { g1: 'iso-8859-8' },
  '-M': { g1: 'iso-8859-9' },
  '-b': { g1: 'iso-8859-15' },
  '-T': { g1: 'windows-874' },
};

// Delimiters before which the first term's sets are active again (PS3.5 6.1.2.5.3): CR, LF,
// TAB, FF, and in a value '\', '^' and '='.
const RESETS = new Set([0x0d, 0x0a, 0x09, 0x0c, 0x5c, 0x5e, 0x3d]);

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

function decoder(label: string): InstanceType<typeof TextDecoder> {
  let found = decoders.get(label);
  if (found === undefined) {
    found = new TextDecoder(label);
    decoders.set(label, found);
  }
  return found;
}

/** True if `term` is a Defined Term with code extensions this decoder knows. */
export function isIso2022Term(term: string): boolean {
  return Object.hasOwn(INITIAL_G1, term) || /^ISO 2022 IR (87|159)$/.test(term);
}

/**
 * A decoding for text whose Specific Character Set has code extensions.
 * @param first - The first term (empty for the default repertoire in G0 only).
 */
export function iso2022Decoding(first: string): (bytes: Uint8Array) => string {
  const initial: State = {
    g0: first === 'ISO 2022 IR 13' ? 'romaji' : 'ascii',
    g1: first === '' ? undefined : INITIAL_G1[first],
  };
  return (bytes) => {
    const state: State = { ...initial };
    let text = '';
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] as number; // i < length
      if (byte === ESC) {
        text += decodeRun(bytes.subarray(start, i), state);
        i = designate(bytes, i, state);
        start = i + 1;
      } else if (RESETS.has(byte) && (state.g0 === 'ascii' || state.g0 === 'romaji')) {
        if (state.g0 !== initial.g0 || state.g1 !== initial.g1) {
          text += decodeRun(bytes.subarray(start, i), state);
          state.g0 = initial.g0;
          state.g1 = initial.g1;
          start = i;
        }
      }
    }
    return text + decodeRun(bytes.subarray(start), state);
  };
}

/** Applies the escape sequence at `at` (ESC) to `state`; returns the index of its last byte. */
function designate(bytes: Uint8Array, at: number, state: State): number {
  let end = at + 1;
  while (end < bytes.length && (bytes[end] as number) >= 0x20 && (bytes[end] as number) <= 0x2f)
    end++;
  const sequence = String.fromCharCode(...bytes.subarray(at + 1, end + 1));
  const designation = Object.hasOwn(DESIGNATIONS, sequence) ? DESIGNATIONS[sequence] : undefined;
  if (designation === undefined) {
    throw new DataSetDecodeError(
      'DICOMNET_DATASET_UNSUPPORTED',
      `unknown ISO 2022 escape sequence ESC ${JSON.stringify(sequence)} (PS3.3 C.12.1.1.2)`,
      {},
      'iso-2022-escapes',
    );
  }
  if (designation.g0 !== undefined) state.g0 = designation.g0;
  if (designation.g1 !== undefined) state.g1 = designation.g1;
  return end;
}

function decodeRun(run: Uint8Array, state: State): string {
  if (run.length === 0) return '';
  const japanese = state.g0 === 'jisx0208' || state.g0 === 'jisx0212' || state.g1 === 'katakana';
  if (japanese) return decoder('euc-jp').decode(toEucJp(run, state));
  if (state.g1 === undefined || state.g1 === 'latin1') {
    return Buffer.from(run.buffer, run.byteOffset, run.byteLength).toString('latin1');
  }
  return decoder(state.g1).decode(run);
}

/** A Japanese run as EUC-JP bytes: G0 pairs with the high bit set, katakana after SS2 (0x8E). */
function toEucJp(run: Uint8Array, state: State): Uint8Array {
  const out = new Uint8Array(run.length * 2);
  let n = 0;
  for (let i = 0; i < run.length; i++) {
    const byte = run[i] as number; // i < length
    if (byte >= 0x80) {
      if (state.g1 === 'katakana') out[n++] = 0x8e;
      out[n++] = byte;
    } else if (state.g0 === 'jisx0208' && byte > 0x20) {
      out[n++] = byte | 0x80;
    } else if (state.g0 === 'jisx0212' && byte > 0x20) {
      // SS3 (0x8F) before each two-byte character.
      if (i + 1 < run.length) {
        out[n++] = 0x8f;
        out[n++] = byte | 0x80;
        out[n++] = (run[++i] as number) | 0x80;
      }
    } else {
      out[n++] = byte;
    }
  }
  return out.subarray(0, n);
}
