// Hand-written types for the few parts of dcmjs 0.52.2 that the codec benchmark calls raw (dcmjs
// ships no types). Checked against build/dcmjs.es.js; @dicomnet/dimse keeps its own, private copy.
declare module 'dcmjs' {
  /** One element of dcmjs's raw ("dict") form. */
  export interface DcmjsElement {
    vr: string;
    Value?: unknown[];
    _rawValue?: unknown;
  }

  /** dcmjs's raw data set: 8-hex-digit keys (upper case) → elements. */
  export type DcmjsDict = Record<string, DcmjsElement>;

  export class ReadBufferStream {
    constructor(buffer: ArrayBuffer, littleEndian?: boolean, options?: { noCopy?: boolean });
  }

  export class WriteBufferStream {
    constructor(defaultSize?: number, littleEndian?: boolean);
    size: number;
    getBuffer(start?: number, end?: number): ArrayBuffer;
  }

  /** dcmjs's "natural" form: keyword → value. */
  export type NaturalDataSet = Record<string, unknown>;

  export const data: {
    DicomMetaDictionary: {
      naturalizeDataset(dict: DcmjsDict): NaturalDataSet;
      denaturalizeDataset(natural: NaturalDataSet): DcmjsDict;
    };
    ReadBufferStream: typeof ReadBufferStream;
    WriteBufferStream: typeof WriteBufferStream;
    DicomMessage: {
      _read(
        stream: ReadBufferStream,
        syntax: string,
        options: {
          ignoreErrors: boolean;
          untilTag: string | null;
          includeUntilTagValue: boolean;
          stopOnGreaterTag: boolean;
        },
      ): DcmjsDict;
      write(
        dict: DcmjsDict,
        stream: WriteBufferStream,
        syntax: string,
        options: { fragmentMultiframe?: boolean },
      ): number;
    };
  };
}
