/**
 * The seven PDU types of the DICOM Upper Layer protocol (PS3.8 9.3, the first byte of every PDU).
 * Any other value is an unrecognized PDU (state-machine event Evt19).
 */
export const PduType = {
  /** A-ASSOCIATE-RQ, PS3.8 9.3.2 (Table 9-11). */
  AssociateRq: 0x01,
  /** A-ASSOCIATE-AC, PS3.8 9.3.3 (Table 9-17). */
  AssociateAc: 0x02,
  /** A-ASSOCIATE-RJ, PS3.8 9.3.4 (Table 9-21). */
  AssociateRj: 0x03,
  /** P-DATA-TF, PS3.8 9.3.5 (Table 9-22). */
  PDataTf: 0x04,
  /** A-RELEASE-RQ, PS3.8 9.3.6 (Table 9-24). */
  ReleaseRq: 0x05,
  /** A-RELEASE-RP, PS3.8 9.3.7 (Table 9-25). */
  ReleaseRp: 0x06,
  /** A-ABORT, PS3.8 9.3.8 (Table 9-26). */
  Abort: 0x07,
} as const;

/** One of the {@link PduType} values. */
export type PduType = (typeof PduType)[keyof typeof PduType];

/**
 * Length of the header every PDU starts with: PDU-type (1), reserved (1), PDU-length (4)
 * (PS3.8 9.3.2–9.3.8). The PDU-length field counts the bytes after this header.
 */
export const PDU_HEADER_LENGTH = 6;

/**
 * Body length of the fixed-size PDUs (A-ASSOCIATE-RJ, A-RELEASE-RQ/RP, A-ABORT): their PDU-length
 * field "shall have the fixed value of 00000004H" (PS3.8 Tables 9-21, 9-24, 9-25, 9-26).
 */
export const FIXED_PDU_BODY_LENGTH = 4;

/** True when `value` is one of the seven PDU types of PS3.8 9.3. */
export function isPduType(value: number): value is PduType {
  return value >= PduType.AssociateRq && value <= PduType.Abort;
}

/** True for the PDU types whose body is always exactly 4 bytes. */
export function isFixedSizePduType(value: number): boolean {
  return (
    value === PduType.AssociateRj ||
    value === PduType.ReleaseRq ||
    value === PduType.ReleaseRp ||
    value === PduType.Abort
  );
}

/** The standard's name of a PDU type ("A-ASSOCIATE-RQ"), or "unknown PDU type 0xNN". */
export function pduTypeName(value: number): string {
  switch (value) {
    case PduType.AssociateRq:
      return 'A-ASSOCIATE-RQ';
    case PduType.AssociateAc:
      return 'A-ASSOCIATE-AC';
    case PduType.AssociateRj:
      return 'A-ASSOCIATE-RJ';
    case PduType.PDataTf:
      return 'P-DATA-TF';
    case PduType.ReleaseRq:
      return 'A-RELEASE-RQ';
    case PduType.ReleaseRp:
      return 'A-RELEASE-RP';
    case PduType.Abort:
      return 'A-ABORT';
    default:
      return `unknown PDU type 0x${value.toString(16).padStart(2, '0')}`;
  }
}
