export type { DataSet, DataElement, DataElementValue, PersonName } from './data-set.js';
export { isTagKey, tagKey, tagNumber, formatTag } from './data-set.js';
export type { DataSetCodec } from './data-set-codec.js';
export {
  createDcmjsCodec,
  DEFAULT_MAX_CODEC_DATA_SET_BYTES,
  DEFAULT_MAX_SEQUENCE_DEPTH,
} from './dcmjs-codec.js';
export type { DcmjsCodecOptions } from './dcmjs-codec.js';
export { DataSetDecodeError, DataSetEncodeError, DicomJsonError } from './errors.js';
export type { DataSetDecodeErrorCode, DataSetEncodeErrorCode } from './errors.js';
export { toDicomJson, fromDicomJson } from './dicom-json.js';
export type { DicomJsonAttribute, DicomJsonObject } from './dicom-json.js';
export { VALUE_REPRESENTATIONS, vrInfo } from './value-representation.js';
export type { VrInfo, VrKind } from './value-representation.js';
