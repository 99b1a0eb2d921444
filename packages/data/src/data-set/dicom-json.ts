import {
  isTagKey,
  type DataElement,
  type DataElementValue,
  type DataSet,
  type PersonName,
} from './data-set.js';
import { DicomJsonError } from './errors.js';
import { vrInfo, type VrInfo } from './value-representation.js';

/** One attribute of the DICOM JSON Model (PS3.18 F.2.2), as JSON.parse returns it. */
export interface DicomJsonAttribute {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly InlineBinary?: string;
  readonly BulkDataURI?: string;
}

/** A DICOM JSON Model object (PS3.18 F.2): tag keys → attributes. */
export type DicomJsonObject = Readonly<Record<string, DicomJsonAttribute>>;

const PN_GROUPS = ['Alphabetic', 'Ideographic', 'Phonetic'] as const;

/**
 * Converts a {@link DataSet} to the DICOM JSON Model of PS3.18 F.2, ready for `JSON.stringify`:
 * attributes in ascending tag order (F.2.2), `InlineBinary` as base64 (F.2.7), IS/DS as JSON
 * numbers when that keeps their exact text and as strings otherwise, SV/UV as numbers when safe
 * integers and as strings otherwise (F.2.3), empty values of a multi-valued attribute as `null`
 * (F.2.5).
 */
export function toDicomJson(dataSet: DataSet): DicomJsonObject {
  const result: Record<string, DicomJsonAttribute> = {};
  for (const key of Object.keys(dataSet).sort()) {
    const element = dataSet[key] as DataElement; // key comes from Object.keys(dataSet)
    result[key] = attributeToJson(element);
  }
  return result;
}

function attributeToJson(element: DataElement): DicomJsonAttribute {
  if (element.InlineBinary !== undefined) {
    if (element.InlineBinary.byteLength === 0) return { vr: element.vr };
    const base64 = Buffer.from(
      element.InlineBinary.buffer,
      element.InlineBinary.byteOffset,
      element.InlineBinary.byteLength,
    ).toString('base64');
    return { vr: element.vr, InlineBinary: base64 };
  }
  if (element.Value === undefined || element.Value.length === 0) return { vr: element.vr };
  return { vr: element.vr, Value: element.Value.map((value) => valueToJson(value, element.vr)) };
}

function valueToJson(value: DataElementValue, vr: string): unknown {
  if (vr === 'SQ') return toDicomJson(value as DataSet);
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'object') {
    const name = value as PersonName;
    return Object.keys(name).length === 0 ? null : { ...name };
  }
  if (value === '') return null;
  if ((vr === 'IS' || vr === 'DS') && typeof value === 'string' && String(Number(value)) === value)
    return Number(value);
  return value;
}

/**
 * Converts DICOM JSON (PS3.18 F.2), as text or as parsed, into a {@link DataSet}. Lower-case tag
 * keys are accepted and upper-cased.
 * @throws {@link DicomJsonError} (`DICOMNET_DATASET_INVALID_JSON`) for text that is not JSON, a
 *   structure that is not the DICOM JSON Model, a value of the wrong JSON type for its VR, or a
 *   `BulkDataURI` (which this library cannot resolve).
 */
export function fromDicomJson(json: string | DicomJsonObject): DataSet {
  let parsed: unknown = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new DicomJsonError(
        `not JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return objectFromJson(parsed, '');
}

function objectFromJson(json: unknown, path: string): DataSet {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('expected a DICOM JSON Model object', path);
  const result: Record<string, DataElement> = {};
  for (const [rawKey, attribute] of Object.entries(json)) {
    const key = rawKey.toUpperCase();
    if (!isTagKey(key)) fail(`"${rawKey}" is not a tag`, path);
    result[key] = attributeFromJson(attribute, `${path}${key}`);
  }
  return result;
}

function attributeFromJson(json: unknown, path: string): DataElement {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('expected an attribute object', path);
  const attribute = json as Partial<Record<keyof DicomJsonAttribute, unknown>>;
  const vr = attribute.vr;
  const info = typeof vr === 'string' ? vrInfo(vr) : undefined;
  if (typeof vr !== 'string' || info === undefined) fail(`unknown vr ${JSON.stringify(vr)}`, path);
  if (attribute.BulkDataURI !== undefined) fail('BulkDataURI cannot be resolved here', path);
  if (attribute.InlineBinary !== undefined) {
    if (info.kind !== 'bytes' || typeof attribute.InlineBinary !== 'string')
      fail(`InlineBinary is not allowed for ${vr}`, path);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(attribute.InlineBinary))
      fail('InlineBinary is not base64', path);
    return { vr, InlineBinary: new Uint8Array(Buffer.from(attribute.InlineBinary, 'base64')) };
  }
  if (attribute.Value === undefined) return { vr };
  if (!Array.isArray(attribute.Value)) fail('Value must be an array', path);
  if (info.kind === 'bytes') fail(`${vr} takes InlineBinary, not Value`, path);
  return {
    vr,
    Value: attribute.Value.map((value: unknown, index: number) =>
      valueFromJson(value, vr, info, `${path}[${index}]`),
    ),
  };
}

function valueFromJson(value: unknown, vr: string, info: VrInfo, path: string): DataElementValue {
  switch (info.kind) {
    case 'sequence':
      return objectFromJson(value, path);
    case 'person-name':
      return personNameFromJson(value, path);
    case 'number':
      if (typeof value !== 'number') fail(`${vr} values are numbers`, path);
      return value;
    case 'bigint':
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
      return fail(`${vr} values are integers`, path);
    default:
      if (value === null) return '';
      if (typeof value === 'number' && (vr === 'IS' || vr === 'DS')) return String(value);
      if (typeof value !== 'string') fail(`${vr} values are strings`, path);
      return value;
  }
}

function personNameFromJson(value: unknown, path: string): PersonName {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail('PN values are objects', path);
  const name: Record<string, string> = {};
  for (const [group, text] of Object.entries(value)) {
    if (!(PN_GROUPS as readonly string[]).includes(group) || typeof text !== 'string')
      fail(`bad PN component group "${group}"`, path);
    if (text !== '') name[group] = text;
  }
  return name;
}

function fail(detail: string, path: string): never {
  throw new DicomJsonError(detail, path === '' ? undefined : path);
}
