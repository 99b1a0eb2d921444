import { describe, expect, it } from 'vitest';
import { ALL_VRS } from '../../test/contract/data-set-fixtures.js';
import { fromDicomJson, toDicomJson } from './dicom-json.js';

describe('toDicomJson', () => {
  it('writes the PS3.18 F.2 text form', () => {
    const json = JSON.stringify(
      toDicomJson({
        '00100020': { vr: 'LO', Value: ['ID1', ''] },
        '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
        '00100010': {
          vr: 'PN',
          Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }, {}],
        },
        '00200013': { vr: 'IS', Value: ['42', '007'] },
        '00180050': { vr: 'DS', Value: ['2.5', '2.50'] },
        '00080428': { vr: 'UV', Value: [7n, 18446744073709551615n] },
        '00420011': { vr: 'OB', InlineBinary: Uint8Array.of(0, 1, 2, 0xff) },
        '00081110': { vr: 'SQ', Value: [{}, { '00081150': { vr: 'UI', Value: ['1.2'] } }] },
        '00081115': { vr: 'SQ' },
        '00091001': { vr: 'UN', InlineBinary: new Uint8Array(0) },
      }),
    );
    expect(json).toBe(
      '{"00080005":{"vr":"CS","Value":["ISO_IR 192"]},' +
        '"00080428":{"vr":"UV","Value":[7,"18446744073709551615"]},' +
        '"00081110":{"vr":"SQ","Value":[{},{"00081150":{"vr":"UI","Value":["1.2"]}}]},' +
        '"00081115":{"vr":"SQ"},' +
        '"00091001":{"vr":"UN"},' +
        '"00100010":{"vr":"PN","Value":[{"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎"},null]},' +
        '"00100020":{"vr":"LO","Value":["ID1",null]},' +
        '"00180050":{"vr":"DS","Value":[2.5,"2.50"]},' +
        '"00200013":{"vr":"IS","Value":[42,"007"]},' +
        '"00420011":{"vr":"OB","InlineBinary":"AAEC/w=="}}',
    );
  });

  it('round-trips every VR of the fixture through JSON text', () => {
    expect(fromDicomJson(JSON.stringify(toDicomJson(ALL_VRS)))).toEqual(ALL_VRS);
  });
});

describe('fromDicomJson', () => {
  it('reads numbers for IS/DS and SV/UV, nulls, lower-case keys', () => {
    expect(
      fromDicomJson({
        '0020000d': { vr: 'UI', Value: ['1.2.3'] },
        '00200013': { vr: 'IS', Value: [5] },
        '00180050': { vr: 'DS', Value: [0.5, '1.0'] },
        '00720082': { vr: 'SV', Value: [-1, '-9223372036854775808'] },
        '00100010': { vr: 'PN', Value: [null, { Alphabetic: 'A', Phonetic: '' }] },
        '00100020': { vr: 'LO', Value: [null] },
      }),
    ).toEqual({
      '0020000D': { vr: 'UI', Value: ['1.2.3'] },
      '00200013': { vr: 'IS', Value: ['5'] },
      '00180050': { vr: 'DS', Value: ['0.5', '1.0'] },
      '00720082': { vr: 'SV', Value: [-1n, -9223372036854775808n] },
      '00100010': { vr: 'PN', Value: [{}, { Alphabetic: 'A' }] },
      '00100020': { vr: 'LO', Value: [''] },
    });
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['a bad key', '{"0010001":{"vr":"LO"}}'],
    ['an unknown VR', '{"00100010":{"vr":"XX"}}'],
    ['a BulkDataURI', '{"7FE00010":{"vr":"OB","BulkDataURI":"http://x/1"}}'],
    ['InlineBinary on a string VR', '{"00100010":{"vr":"LO","InlineBinary":"AA=="}}'],
    ['Value on OB', '{"00420011":{"vr":"OB","Value":[1]}}'],
    ['bad base64', '{"00420011":{"vr":"OB","InlineBinary":"**"}}'],
    ['a string for US', '{"00280010":{"vr":"US","Value":["1"]}}'],
    ['a number for LO', '{"00100020":{"vr":"LO","Value":[1]}}'],
    ['a bad PN group', '{"00100010":{"vr":"PN","Value":[{"Given":"x"}]}}'],
    ['a fraction for UV', '{"00080428":{"vr":"UV","Value":[1.5]}}'],
  ])('refuses %s', (_label, text) => {
    expect(() => fromDicomJson(text)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_DATASET_INVALID_JSON' }),
    );
  });
});
