// The element writer's public API (issue 14).
export { writeElements, writeElementsSync, dataSetTokens } from './write-elements.js';
export { writePart10FileFromElements } from './write-part10-elements.js';
export type { WritePart10ElementsOptions } from './write-part10-elements.js';
export {
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_WRITER_CHUNK_BYTES,
  DEFAULT_WRITER_MAX_DEPTH,
} from './writer-input.js';
export type {
  ElementWriterInput,
  ElementWriterOptions,
  ModelElementToken,
  ModelItemToken,
} from './writer-input.js';
export { createElementCodec, DEFAULT_MAX_ELEMENT_CODEC_BYTES } from './element-codec.js';
export type { ElementCodecOptions } from './element-codec.js';
export { canTranscode, transcodeDataSet, transcodeDataSetSync } from './transcode-data-set.js';
export type { TranscodeOptions } from './transcode-data-set.js';
