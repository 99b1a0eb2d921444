// Hand-written types for the few parts of dcmjs 0.52.2 that dcmjs-codec.ts calls (dcmjs ships no
// types). Nothing here is exported from @dicomnet/data. Checked against build/dcmjs.es.js.
declare module 'dcmjs' {
  /** One element of dcmjs's raw ("dict") form: tag key → { vr, Value, _rawValue }. */
  export interface DcmjsElement {
    vr: string;
    Value?: unknown[];
    _rawValue?: unknown;
  }

  /** dcmjs's raw data set: 8-hex-digit keys (upper case) → elements. */
  export type DcmjsDict = Record<string, DcmjsElement>;

  /** Options of DicomMessage._read. */
  export interface DcmjsReadOptions {
    ignoreErrors: boolean;
    untilTag: string | null;
    includeUntilTagValue: boolean;
    stopOnGreaterTag: boolean;
  }

  /** Options of DicomMessage.write. */
  export interface DcmjsWriteOptions {
    allowInvalidVRLength?: boolean;
    fragmentMultiframe?: boolean;
  }

  export class BufferStream {
    offset: number;
    endOffset: number;
    size: number;
    isLittleEndian: boolean;
    increment(step: number): number;
    slice(start?: number, end?: number): ArrayBuffer;
    getBuffer(start?: number, end?: number): ArrayBuffer;
    setComplete(value?: boolean): void;
  }

  export class ReadBufferStream extends BufferStream {
    constructor(buffer: ArrayBuffer | null, littleEndian?: boolean, options?: { noCopy?: boolean });
    decoder: TextDecoder;
    setDecoder(decoder: TextDecoder): void;
    more(length: number): ReadBufferStream;
  }

  export class WriteBufferStream extends BufferStream {
    constructor(defaultSize?: number, littleEndian?: boolean);
  }

  export interface DicomMessageStatic {
    _read(stream: ReadBufferStream, syntax: string, options: DcmjsReadOptions): DcmjsDict;
    write(
      dict: DcmjsDict,
      stream: WriteBufferStream,
      syntax: string,
      options: DcmjsWriteOptions,
    ): number;
  }

  export interface DictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
    version: string;
  }

  export interface DicomMetaDictionaryStatic {
    /** Keyed by `(GGGG,EEEE)`; a Proxy over a packed table, own properties take precedence. */
    dictionary: Record<string, DictionaryEntry | undefined>;
  }

  export const data: {
    ReadBufferStream: typeof ReadBufferStream;
    WriteBufferStream: typeof WriteBufferStream;
    DicomMessage: DicomMessageStatic;
    DicomMetaDictionary: DicomMetaDictionaryStatic;
  };

  export const constants: {
    /** Specific Character Set term (lower case, `_`/space → `-`) → TextDecoder label. */
    encodingMapping: Record<string, string>;
  };
}
