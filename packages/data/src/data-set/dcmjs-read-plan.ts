// Checks, before dcmjs sees the bytes, that dcmjs 0.52.2 will read them faithfully, and works
// out the VR dcmjs will report for each element. Defect numbers: dcmjs-notes.md.
import { formatTag } from './data-set.js';
import type { ElementNode, ItemNode } from './data-set-structure.js';
import { viewOf, type DataSetEncoding } from './element-header.js';
import { DataSetDecodeError } from './errors.js';
import { dcmjsDecoderLabel, dictionaryVr } from './dcmjs-runtime.js';
import { vrInfo } from './value-representation.js';

/** How the adapter reads one element dcmjs decoded. */
export interface ElementPlan {
  readonly node: ElementNode;
  /** The VR dcmjs reports (explicit UN with a known tag becomes the dictionary VR). */
  readonly vr: string;
  /** The dictionary's ambiguous code (`xs`…) when `vr` was chosen for it. */
  readonly ambiguous?: string;
  readonly items?: readonly (readonly ElementPlan[])[];
}

const UNSUPPORTED_VRS = new Set(['OL', 'OV', 'SV']);
const SPECIFIC_CHARACTER_SET = 0x00080005;

/**
 * Plans the decoding of a walked data set, refusing what dcmjs would get wrong:
 * OL/OV/SV (defect 11), a sequence sent as UN (defect 10), encapsulated pixel data (defects 8, 9),
 * undefined-length items whose bytes fool dcmjs's delimiter scan (defect 9), character sets dcmjs
 * cannot decode (defect 13), and values whose length does not fit their VR (dcmjs would log and
 * over-read).
 * @throws {@link DataSetDecodeError}.
 */
export function planDcmjsRead(
  bytes: Uint8Array,
  nodes: readonly ElementNode[],
  encoding: DataSetEncoding,
): readonly ElementPlan[] {
  return planDataSet(viewOf(bytes), nodes, encoding, '');
}

function planDataSet(
  view: DataView,
  nodes: readonly ElementNode[],
  encoding: DataSetEncoding,
  path: string,
): ElementPlan[] {
  return nodes.map((node) => planElement(view, node, encoding, `${path}${formatTag(node.tag)}`));
}

function planElement(
  view: DataView,
  node: ElementNode,
  encoding: DataSetEncoding,
  path: string,
): ElementPlan {
  let vr = node.vr;
  let ambiguous: string | undefined;
  if (encoding.explicitVr && node.vr === 'UN') {
    if (node.undefinedLength)
      unsupported('a sequence encoded as UN (PS3.5 6.2.2)', path, node, 'sequence-as-un');
    const known = dictionaryVr(node.tag);
    if (known !== undefined) {
      // dcmjs re-reads a UN whose tag it knows with the dictionary VR.
      if (known.vr === 'SQ')
        unsupported('a sequence encoded as UN (PS3.5 6.2.2)', path, node, 'sequence-as-un');
      vr = known.vr;
      ambiguous = known.ambiguous;
    }
  } else if (!encoding.explicitVr) {
    ambiguous = dictionaryVr(node.tag)?.ambiguous;
  }
  if (UNSUPPORTED_VRS.has(vr)) unsupported(`VR ${vr}`, path, node, `vr-${vr}`);
  if (node.fragments !== undefined)
    unsupported('encapsulated pixel data', path, node, 'encapsulated-pixel-data');
  checkLength(vr, node, path);
  if (node.tag === SPECIFIC_CHARACTER_SET) checkCharacterSet(view, node, path);
  const base = ambiguous === undefined ? { node, vr } : { node, vr, ambiguous };
  if (node.items === undefined) return base;
  const items = node.items.map((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (item.undefinedLength) checkItemScan(view, item, encoding.littleEndian, itemPath);
    return planDataSet(view, item.elements, encoding, itemPath);
  });
  return { ...base, items };
}

function checkLength(vr: string, node: ElementNode, path: string): void {
  const info = vrInfo(vr);
  if (info?.size !== undefined && info.kind !== 'bytes' && node.length % info.size !== 0) {
    malformed(`${vr} value length ${node.length} is not a multiple of ${info.size}`, path, node);
  }
  if (vr === 'AS' && node.length !== 0 && node.length !== 4)
    malformed(`AS value length ${node.length} is not 4`, path, node);
}

/** dcmjs accepts one term it has a TextDecoder label for; code extensions throw (defect 13). */
function checkCharacterSet(view: DataView, node: ElementNode, path: string): void {
  let text = '';
  for (let i = 0; i < node.length; i++)
    text += String.fromCharCode(view.getUint8(node.valueOffset + i));
  const terms = text.split('\\').map((term) => term.replace(/[\0 ]+$/, '').trim());
  if (terms.length > 1)
    unsupported(
      `Specific Character Set "${terms.join('\\')}" (ISO 2022 code extensions)`,
      path,
      node,
      'character-set',
    );
  const label = dcmjsDecoderLabel(terms[0] ?? '');
  let decodable = label !== undefined;
  try {
    if (label !== undefined) new TextDecoder(label);
  } catch {
    decodable = false;
  }
  if (!decodable)
    unsupported(`Specific Character Set "${terms[0] ?? ''}"`, path, node, 'character-set');
}

/**
 * dcmjs finds the end of an undefined-length item by scanning 16-bit words for an item
 * delimiter (SequenceOfItems.readBytes) instead of parsing the elements, so bytes inside a value
 * can end the item early or shift it, and elements are lost silently (defect 9, dcmjs issue
 * #346). This replays that scan and requires it to land exactly on the real delimiter.
 */
function checkItemScan(view: DataView, item: ItemNode, little: boolean, path: string): void {
  let position = item.contentOffset;
  let stack = 0;
  let toRead = 0;
  while (position + 2 <= item.end) {
    const group = view.getUint16(position, little);
    position += 2;
    if (group !== 0xfffe) {
      toRead += 2;
      continue;
    }
    if (position + 6 > view.byteLength) break;
    const element = view.getUint16(position, little);
    const length = view.getUint32(position + 2, little);
    position += 2;
    if (element === 0xe00d && length === 0) {
      stack--;
      if (stack < 0) {
        position += 4;
        if (position === item.end && toRead === item.contentLength) return;
        break;
      }
      toRead += 4;
    } else if (element === 0xe00d) {
      toRead += 2;
    } else if (element === 0xe000) {
      toRead += 4;
      if (length === 0xffffffff) stack++;
    } else {
      toRead += 2;
      position -= 2;
    }
  }
  unsupported(
    'item bytes that dcmjs would mistake for a delimiter (its item scan is not a parse)',
    path,
    item,
    'item-scan',
  );
}

function unsupported(
  detail: string,
  path: string,
  at: { readonly offset: number },
  feature: string,
): never {
  throw new DataSetDecodeError(
    'DICOMNET_DATASET_UNSUPPORTED',
    detail,
    { path, offset: at.offset },
    feature,
  );
}

function malformed(detail: string, path: string, at: { readonly offset: number }): never {
  throw new DataSetDecodeError('DICOMNET_DATASET_MALFORMED', detail, { path, offset: at.offset });
}
