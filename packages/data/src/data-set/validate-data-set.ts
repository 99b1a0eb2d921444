import {
  formatTag,
  isTagKey,
  tagNumber,
  type DataElement,
  type DataSet,
  type PersonName,
} from './data-set.js';
import { DataSetEncodeError } from './errors.js';
import {
  isMultiValuedString,
  usesCharacterSet,
  vrInfo,
  type VrInfo,
} from './value-representation.js';

/** Options of {@link validateDataSet}. */
export interface ValidateDataSetOptions {
  /** Deepest sequence nesting accepted; a top-level sequence is depth 1. */
  readonly maxDepth: number;
  /** VRs the codec cannot write; they fail with `DICOMNET_DATASET_UNSUPPORTED`. */
  readonly unsupportedVrs?: ReadonlySet<string>;
  /**
   * True if the codec can write non-ASCII text under this Specific Character Set (0008,0005)
   * (`terms` are its values, `[]` when absent).
   */
  readonly canEncodeCharacterSet: (terms: readonly string[]) => boolean;
}

const SPECIFIC_CHARACTER_SET = '00080005';
const PERSON_NAME_GROUPS = ['Alphabetic', 'Ideographic', 'Phonetic'] as const;

/**
 * Checks that a {@link DataSet} can be encoded: keys, VRs, value types and ranges, lengths
 * (PS3.5 Table 6.2-1), character repertoires, backslashes inside values of multi-valued VRs
 * (PS3.18 F.2.4 note), nesting depth.
 * @throws {@link DataSetEncodeError} at the first problem.
 */
export function validateDataSet(dataSet: DataSet, options: ValidateDataSetOptions): void {
  checkDataSet(dataSet, options, 0, '', []);
}

function checkDataSet(
  dataSet: DataSet,
  options: ValidateDataSetOptions,
  depth: number,
  path: string,
  inherited: readonly string[],
): void {
  if (typeof dataSet !== 'object' || dataSet === null || Array.isArray(dataSet)) {
    invalid('a data set must be an object', path);
  }
  const charset = dataSet[SPECIFIC_CHARACTER_SET];
  const terms =
    charset === undefined ? inherited : (charset.Value ?? []).map((term) => String(term).trim());
  for (const [key, element] of Object.entries(dataSet)) {
    if (!isTagKey(key)) invalid(`key "${key}" is not 8 upper-case hex digits`, path);
    const here = `${path}${formatTag(tagNumber(key))}`;
    if ((tagNumber(key) & 0xffff) === 0)
      invalid('group length elements are not part of the model (PS3.18 F.2.2)', here);
    if (tagNumber(key) >>> 16 === 0xfffe) invalid('item and delimiter tags are not elements', here);
    checkElement(element, options, depth, here, terms);
  }
}

function checkElement(
  element: DataElement,
  options: ValidateDataSetOptions,
  depth: number,
  path: string,
  charset: readonly string[],
): void {
  if (typeof element !== 'object' || element === null)
    invalid('an element must be an object', path);
  const info = vrInfo(element.vr);
  if (info === undefined) invalid(`unknown VR "${String(element.vr)}"`, path);
  if (options.unsupportedVrs?.has(element.vr)) {
    throw new DataSetEncodeError(
      'DICOMNET_DATASET_UNSUPPORTED',
      `this codec cannot write VR ${element.vr}`,
      path,
      `vr-${element.vr}`,
    );
  }
  if (element.Value !== undefined && element.InlineBinary !== undefined)
    invalid('both Value and InlineBinary', path);
  if (info.kind === 'bytes') {
    if (element.Value !== undefined) invalid(`${element.vr} takes InlineBinary, not Value`, path);
    const bytes = element.InlineBinary;
    if (bytes === undefined) return;
    if (!(bytes instanceof Uint8Array)) invalid('InlineBinary must be a Uint8Array', path);
    if (info.size !== undefined && info.size > 1 && bytes.byteLength % info.size !== 0) {
      invalid(`${element.vr} length ${bytes.byteLength} is not a multiple of ${info.size}`, path);
    }
    return;
  }
  if (element.InlineBinary !== undefined)
    invalid(`${element.vr} takes Value, not InlineBinary`, path);
  const values = element.Value;
  if (values === undefined) return;
  if (!Array.isArray(values)) invalid('Value must be an array', path);
  if (info.kind === 'sequence') {
    if (depth + 1 > options.maxDepth)
      invalid(`sequences nested deeper than ${options.maxDepth}`, path);
    values.forEach((item, index) =>
      checkDataSet(item as DataSet, options, depth + 1, `${path}[${index}]`, charset),
    );
    return;
  }
  if ((info.kind === 'text' || info.kind === 'ascii-text') && values.length > 1) {
    invalid(`${element.vr} has a single value (PS3.5 6.4)`, path);
  }
  for (const value of values) checkValue(value, element.vr, info, path);
  if (
    usesCharacterSet(info) &&
    values.some((value) => !isAsciiValue(value)) &&
    !options.canEncodeCharacterSet(charset)
  ) {
    throw new DataSetEncodeError(
      'DICOMNET_DATASET_UNSUPPORTED',
      `non-ASCII text needs Specific Character Set (0008,0005) "ISO_IR 192" here, not "${charset.join('\\')}"`,
      path,
      'character-set',
    );
  }
}

function checkValue(value: unknown, vr: string, info: VrInfo, path: string): void {
  switch (info.kind) {
    case 'number':
      if (typeof value !== 'number') invalid(`${vr} values are numbers`, path);
      checkNumber(value, vr, path);
      return;
    case 'bigint': {
      const big = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
      if (typeof big !== 'bigint') invalid(`${vr} values are bigints`, path);
      const [min, max] = vr === 'UV' ? [0n, 2n ** 64n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
      if (big < min || big > max) invalid(`${vr} value ${big} out of range`, path);
      return;
    }
    case 'tag':
      if (typeof value !== 'string' || !isTagKey(value))
        invalid('AT values are 8 upper-case hex digits', path);
      return;
    case 'person-name':
      checkPersonName(value, path);
      return;
    case 'ascii':
    case 'ascii-text':
    case 'string':
    case 'text':
      checkString(value, vr, info, path);
      return;
    default:
      invalid(`unexpected value for ${vr}`, path);
  }
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  US: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  SL: [-0x80000000, 0x7fffffff],
};

function checkNumber(value: number, vr: string, path: string): void {
  const range = INTEGER_RANGES[vr];
  if (range === undefined) return; // FL, FD: any number, NaN and infinities included
  if (!Number.isInteger(value) || value < range[0] || value > range[1])
    invalid(`${vr} value ${value} out of range`, path);
}

function checkString(value: unknown, vr: string, info: VrInfo, path: string): void {
  let text: string;
  if (typeof value === 'number' && (vr === 'DS' || vr === 'IS')) {
    if (!Number.isFinite(value) || (vr === 'IS' && !Number.isInteger(value)))
      invalid(`${vr} value ${value} is not representable`, path);
    return;
  } else if (typeof value === 'string') {
    text = value;
  } else {
    invalid(`${vr} values are strings`, path);
  }
  if (isMultiValuedString(info) && text.includes('\\'))
    invalid(`a ${vr} value cannot contain a backslash (PS3.18 F.2.4)`, path);
  if ((info.kind === 'ascii' || info.kind === 'ascii-text') && !isAscii(text))
    invalid(`${vr} allows only the default repertoire (ASCII)`, path);
  if (text.includes('\0')) invalid('strings cannot contain NUL', path);
  checkLength(text, vr, info, path);
}

function checkLength(text: string, vr: string, info: VrInfo, path: string): void {
  if (info.maxLength === undefined) return;
  const length = info.kind === 'ascii' ? text.length : [...text].length;
  const isRange = info.maxRangeLength !== undefined && text.includes('-');
  const max = isRange && info.maxRangeLength !== undefined ? info.maxRangeLength : info.maxLength;
  if (length > max) invalid(`${vr} value longer than ${max} (PS3.5 Table 6.2-1)`, path);
}

function checkPersonName(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid('PN values are { Alphabetic?, Ideographic?, Phonetic? }', path);
  for (const [group, text] of Object.entries(value)) {
    if (!(PERSON_NAME_GROUPS as readonly string[]).includes(group))
      invalid(`unknown PN component group "${group}"`, path);
    if (typeof text !== 'string') invalid(`PN ${group} must be a string`, path);
    if (/[\\=\0]/.test(text)) invalid(`PN ${group} cannot contain "\\", "=" or NUL`, path);
    if ([...text].length > 64)
      invalid(`PN ${group} longer than 64 characters (PS3.5 Table 6.2-1)`, path);
  }
}

function isAsciiValue(value: unknown): boolean {
  if (typeof value === 'string') return isAscii(value);
  if (typeof value === 'object' && value !== null) {
    return Object.values(value as PersonName).every(
      (text) => typeof text !== 'string' || isAscii(text),
    );
  }
  return true;
}

/** True if `text` is all 7-bit characters. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function invalid(detail: string, path: string): never {
  throw new DataSetEncodeError(
    'DICOMNET_DATASET_INVALID_VALUE',
    detail,
    path === '' ? undefined : path,
  );
}
