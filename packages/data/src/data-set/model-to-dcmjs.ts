// Our model → dcmjs's raw "dict" form for DicomMessage.write (never through denaturalizeDataset,
// which drops private and unknown elements: defect 17). The model has been validated first.
import type { DcmjsDict, DcmjsElement } from 'dcmjs';
import { tagNumber, type DataElement, type DataSet, type PersonName } from './data-set.js';
import { exactArrayBuffer } from './exact-bytes.js';
import { swapBytes } from './swap-bytes.js';
import { formatDecimal, formatPersonName } from './format-values.js';
import { vrInfo } from './value-representation.js';

/** Converts a validated {@link DataSet}; OW/OF/OD words are swapped when writing Big Endian. */
export function modelToDcmjs(dataSet: DataSet, littleEndian: boolean): DcmjsDict {
  const dict: DcmjsDict = {};
  for (const [key, element] of Object.entries(dataSet))
    dict[key] = convertElement(element, littleEndian);
  return dict;
}

function convertElement(element: DataElement, littleEndian: boolean): DcmjsElement {
  // validateDataSet accepted this VR, so vrInfo knows it.
  const info = vrInfo(element.vr) as NonNullable<ReturnType<typeof vrInfo>>;
  const values = element.Value ?? [];
  switch (info.kind) {
    case 'sequence':
      return { vr: 'SQ', Value: values.map((item) => modelToDcmjs(item as DataSet, littleEndian)) };
    case 'bytes': {
      const bytes = element.InlineBinary;
      if (bytes === undefined || bytes.byteLength === 0) return { vr: element.vr, Value: [] };
      const copy = exactArrayBuffer(bytes);
      // dcmjs writes the bytes as given (defect 7): swap OW/OF/OD words for Big Endian here.
      if (!littleEndian && info.size !== undefined && info.size > 1)
        swapBytes(new Uint8Array(copy), info.size);
      return { vr: element.vr, Value: [copy] };
    }
    case 'bigint':
      return { vr: element.vr, Value: values.map((value) => BigInt(value as bigint | number)) };
    case 'tag':
      return { vr: 'AT', Value: values.map((value) => tagNumber(value as string)) };
    case 'person-name':
      // Formatted and joined here: dcmjs's pnObjectToString drops the empty values of an array
      // (an empty middle name in A\\B would vanish) but writes one string as given (PS3.5 6.2.1.1).
      if (values.length === 0) return { vr: 'PN', Value: [] };
      return {
        vr: 'PN',
        Value: [values.map((value) => formatPersonName(value as PersonName)).join('\\')],
      };
    case 'ascii':
      if (element.vr === 'DS')
        return { vr: 'DS', Value: values.map((value) => formatDecimal(value as string | number)) };
      if (element.vr === 'IS') return { vr: 'IS', Value: values.map(String) };
      return { vr: element.vr, Value: [...values] };
    default:
      return { vr: element.vr, Value: [...values] };
  }
}
