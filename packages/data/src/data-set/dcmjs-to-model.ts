// dcmjs's raw "dict" form → our model, guided by the plan (never through dcmjs's natural form,
// which drops private and unknown elements: defect 17). Defect numbers: dcmjs-notes.md.
import type { DcmjsDict, DcmjsElement } from 'dcmjs';
import {
  formatTag,
  tagKey,
  type DataElement,
  type DataElementValue,
  type DataSet,
  type PersonName,
} from './data-set.js';
import type { ElementPlan } from './dcmjs-read-plan.js';
import { DataSetDecodeError } from './errors.js';
import { swapBytes } from './swap-bytes.js';
import { vrInfo, type VrInfo } from './value-representation.js';

const PIXEL_REPRESENTATION = '00280103';
// LUT Descriptors keep US even for signed pixels: their first and third values are always
// unsigned (PS3.3 C.11.1.1.1).
const LUT_DESCRIPTORS = new Set([
  0x00281101, 0x00281102, 0x00281103, 0x00283002, 0x00281100, 0x00281111, 0x00281112, 0x00281113,
]);

/** Context passed down the items. */
interface Context {
  readonly littleEndian: boolean;
  /** Pixel Representation (0028,0103) in effect: 1 means signed pixel values. */
  readonly pixelRepresentation: number | undefined;
}

/**
 * Converts what `DicomMessage._read` returned into a {@link DataSet}, checking that dcmjs read
 * exactly the elements and items the structure walk found.
 * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_MALFORMED` if dcmjs disagrees.
 */
export function dcmjsToModel(
  dict: DcmjsDict,
  plans: readonly ElementPlan[],
  littleEndian: boolean,
): DataSet {
  return convertDataSet(dict, plans, { littleEndian, pixelRepresentation: undefined }, '');
}

function convertDataSet(
  dict: DcmjsDict,
  plans: readonly ElementPlan[],
  context: Context,
  path: string,
): DataSet {
  const keys = Object.keys(dict);
  if (keys.length !== plans.length)
    disagree(`dcmjs read ${keys.length} elements, the walk found ${plans.length}`, path);
  const pixelRepresentation = readPixelRepresentation(dict) ?? context.pixelRepresentation;
  const inner: Context = { ...context, pixelRepresentation };
  const result: Record<string, DataElement> = {};
  for (const plan of plans) {
    const key = tagKey(plan.node.tag >>> 16, plan.node.tag & 0xffff);
    const here = `${path}${formatTag(plan.node.tag)}`;
    const element = dict[key];
    if (element === undefined) disagree(`dcmjs lost ${formatTag(plan.node.tag)}`, path);
    if (element.vr !== plan.vr)
      disagree(`dcmjs read VR ${String(element.vr)}, expected ${plan.vr}`, here);
    // Group lengths are not part of the model (PS3.18 F.2.2); they are recomputed if ever needed.
    if ((plan.node.tag & 0xffff) === 0) continue;
    result[key] = convertElement(element, plan, inner, here);
  }
  return result;
}

function convertElement(
  element: DcmjsElement,
  plan: ElementPlan,
  context: Context,
  path: string,
): DataElement {
  const info = vrInfo(plan.vr);
  if (info === undefined) disagree(`unexpected VR ${plan.vr}`, path);
  if (info.kind === 'sequence') return convertSequence(element, plan, context, path);
  if (plan.node.length === 0) return { vr: plan.vr };
  const values = element.Value ?? [];
  switch (info.kind) {
    case 'bytes':
      return { vr: plan.vr, InlineBinary: convertBytes(values, plan, info, context, path) };
    case 'number':
    case 'bigint':
      return convertNumbers(values, plan, info, context, path);
    case 'tag':
      return {
        vr: plan.vr,
        Value: values.map((value) => tagKey(Number(value) >>> 16, Number(value) & 0xffff)),
      };
    default:
      return convertStrings(element, plan.vr, info);
  }
}

function convertSequence(
  element: DcmjsElement,
  plan: ElementPlan,
  context: Context,
  path: string,
): DataElement {
  const items = plan.items ?? [];
  const dicts = (element.Value ?? []) as DcmjsDict[];
  const nodes = plan.node.items ?? [];
  const converted: DataSet[] = [];
  let next = 0;
  items.forEach((itemPlans, index) => {
    // dcmjs drops items with no content (SequenceOfItems.readBytes skips toRead 0); keep them.
    if (nodes[index]?.contentLength === 0) {
      converted.push({});
      return;
    }
    const dict = dicts[next++];
    if (dict === undefined) disagree(`dcmjs lost item ${index}`, path);
    converted.push(convertDataSet(dict, itemPlans, context, `${path}[${index}]`));
  });
  if (next !== dicts.length)
    disagree(`dcmjs read ${dicts.length} items, the walk found ${next}`, path);
  return converted.length === 0 ? { vr: 'SQ' } : { vr: 'SQ', Value: converted };
}

function convertBytes(
  values: readonly unknown[],
  plan: ElementPlan,
  info: VrInfo,
  context: Context,
  path: string,
): Uint8Array {
  const parts = values.map((part) => (part instanceof ArrayBuffer ? new Uint8Array(part) : part));
  if (!parts.every((part): part is Uint8Array => part instanceof Uint8Array))
    disagree('dcmjs returned a non-binary value', path);
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  if (bytes.byteLength !== plan.node.length)
    disagree(`dcmjs read ${bytes.byteLength} bytes of ${plan.node.length}`, path);
  // dcmjs leaves Big Endian words as they are (defect 7); the model holds Little Endian.
  if (!context.littleEndian && info.size !== undefined && info.size > 1)
    swapBytes(bytes, info.size);
  return bytes;
}

function convertNumbers(
  values: readonly unknown[],
  plan: ElementPlan,
  info: VrInfo,
  context: Context,
  path: string,
): DataElement {
  const count = plan.node.length / (info.size ?? 1);
  if (values.length !== count)
    disagree(`dcmjs read ${values.length} values, expected ${count}`, path);
  if (info.kind === 'bigint') {
    if (!values.every((value) => typeof value === 'bigint'))
      disagree('dcmjs returned a non-bigint UV', path);
    return { vr: plan.vr, Value: values as bigint[] };
  }
  const numbers = values.map(Number);
  // "US or SS" read as US (defect 14): signed when Pixel Representation is 1 (PS3.3 C.7.6.3.1).
  if (
    plan.ambiguous === 'xs' &&
    context.pixelRepresentation === 1 &&
    !LUT_DESCRIPTORS.has(plan.node.tag)
  ) {
    return { vr: 'SS', Value: numbers.map((value) => (value >= 0x8000 ? value - 0x10000 : value)) };
  }
  return { vr: plan.vr, Value: numbers };
}

function convertStrings(element: DcmjsElement, vr: string, info: VrInfo): DataElement {
  // _rawValue is the text before dcmjs's formatting (trimming, number parsing, UID cleaning);
  // dcmjs split it on backslash for every VR but LT, ST/UT included (defect 4), so join it back.
  const raw = element._rawValue;
  const text = (Array.isArray(raw) ? raw : [raw]).map((part) => String(part ?? '')).join('\\');
  const single = info.kind === 'text' || info.kind === 'ascii-text';
  const parts = single ? [text] : text.split('\\');
  const values: DataElementValue[] = parts.map((part) => {
    const trimmed = trimPadding(part);
    return info.kind === 'person-name' ? parsePersonName(trimmed) : trimmed;
  });
  if (values.length === 1 && (values[0] === '' || isEmptyPersonName(values[0]))) return { vr };
  return { vr, Value: values };
}

/** Trailing spaces (and NULs, which some writers use) are padding (PS3.5 6.2, Table 6.2-1). */
function trimPadding(text: string): string {
  return text.replace(/[ \0]+$/, '');
}

/** `Family^Given=Ideographic=Phonetic` → component groups (PS3.5 6.2.1.1). */
export function parsePersonName(text: string): PersonName {
  const [alphabetic = '', ideographic = '', phonetic = ''] = text.split('=');
  return {
    ...(alphabetic === '' ? {} : { Alphabetic: alphabetic }),
    ...(ideographic === '' ? {} : { Ideographic: ideographic }),
    ...(phonetic === '' ? {} : { Phonetic: phonetic }),
  };
}

function isEmptyPersonName(value: DataElementValue | undefined): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function readPixelRepresentation(dict: DcmjsDict): number | undefined {
  const value = dict[PIXEL_REPRESENTATION]?.Value?.[0];
  return typeof value === 'number' ? value : undefined;
}

function disagree(detail: string, path: string): never {
  throw new DataSetDecodeError(
    'DICOMNET_DATASET_MALFORMED',
    `${detail} (dcmjs and the structure walk disagree)`,
    path === '' ? {} : { path },
  );
}
