/**
 * dcmjs 0.52.2 called directly, as a dcmjs user would: the baseline of the adapter's overhead.
 * Loaded through `import`, like @dicomnet/data loads it, so both use one instance (its ESM and
 * CJS builds are separate instances, dcmjs-notes.md "How to load it").
 */
import type { DcmjsDict, NaturalDataSet } from 'dcmjs';
import { data } from 'dcmjs';

const READ_OPTIONS = {
  ignoreErrors: false,
  untilTag: null,
  includeUntilTagValue: false,
  stopOnGreaterTag: false,
};

/**
 * `DicomMessage._read` of one data set (little endian syntaxes). `buffer` must hold exactly the
 * data set: dcmjs ignores a view's offset (defect 1), so the caller slices once, untimed.
 */
export function rawDecode(buffer: ArrayBuffer, syntax: string): DcmjsDict {
  return data.DicomMessage._read(new data.ReadBufferStream(buffer, true), syntax, READ_OPTIONS);
}

/** `DicomMessage.write` of one dict; the bytes as one new array. */
export function rawEncode(dict: DcmjsDict, syntax: string): Uint8Array {
  const stream = new data.WriteBufferStream(4096, true);
  data.DicomMessage.write(dict, stream, syntax, { fragmentMultiframe: false });
  return new Uint8Array(stream.getBuffer(0, stream.size));
}

/** dcmjs's keyword form of a dict (what most dcmjs code works with). */
export function naturalize(dict: DcmjsDict): NaturalDataSet {
  return data.DicomMetaDictionary.naturalizeDataset(dict);
}

/** Back from the keyword form. */
export function denaturalize(natural: NaturalDataSet): DcmjsDict {
  return data.DicomMetaDictionary.denaturalizeDataset(natural);
}

/** An ArrayBuffer holding exactly `bytes` (a copy). */
export function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  // slice() copies into a new ArrayBuffer of exactly byteLength bytes.
  return bytes.slice().buffer as ArrayBuffer;
}
