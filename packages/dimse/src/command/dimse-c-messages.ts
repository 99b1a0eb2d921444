import type { Priority } from './command-field.js';

/**
 * Status-related fields a DIMSE-C response may carry with some statuses (PS3.7 Annex C): Offending
 * Element with Warning (C.4.1) and with Cxxx, A9xx and other service-specific failures (C.5.1–
 * C.5.3); Error Comment with those and with A7xx, A801, 0122H and 0124H (C.5.4–C.5.6, C.5.25).
 */
export interface DimseCStatusDetail {
  /** (0000,0901) tags of the elements in which the error was found. */
  readonly offendingElement?: readonly number[];
  /** (0000,0902) free text, default character repertoire, at most 64 characters. */
  readonly errorComment?: string;
}

/** C-ECHO-RQ (PS3.7 Table 9.3-12): verifies end-to-end communication. No data set. */
export interface CEchoRq {
  readonly kind: 'C-ECHO-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0002) M, normally the Verification SOP Class 1.2.840.10008.1.1. */
  readonly affectedSopClassUid: string;
}

/** C-ECHO-RSP (PS3.7 Table 9.3-13). No data set. */
export interface CEchoRsp {
  readonly kind: 'C-ECHO-RSP';
  /** (0000,0120) M */
  readonly messageIdBeingRespondedTo: number;
  /** (0000,0900) M */
  readonly status: number;
  /** (0000,0002) U(=) */
  readonly affectedSopClassUid?: string;
  /** (0000,0902) C: only with a status whose Annex C row lists it (PS3.7 §9.1.5, Annex C). */
  readonly errorComment?: string;
}

/** C-STORE-RQ (PS3.7 Table 9.3-1). A data set (the SOP instance) always follows. */
export interface CStoreRq {
  readonly kind: 'C-STORE-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0002) M */
  readonly affectedSopClassUid: string;
  /** (0000,1000) M */
  readonly affectedSopInstanceUid: string;
  /** (0000,0700) M; `toCommandSet` sends Medium when absent. Always set by `parseCommand`. */
  readonly priority?: Priority;
  /** (0000,1030) U: in a C-MOVE sub-operation, the AE title of the C-MOVE requester. */
  readonly moveOriginatorApplicationEntityTitle?: string;
  /** (0000,1031) U: in a C-MOVE sub-operation, the Message ID of the C-MOVE-RQ. */
  readonly moveOriginatorMessageId?: number;
}

/** C-STORE-RSP (PS3.7 Table 9.3-2). No data set. */
export interface CStoreRsp extends DimseCStatusDetail {
  readonly kind: 'C-STORE-RSP';
  /** (0000,0120) M */
  readonly messageIdBeingRespondedTo: number;
  /** (0000,0900) M */
  readonly status: number;
  /** (0000,0002) U(=) */
  readonly affectedSopClassUid?: string;
  /** (0000,1000) U(=) */
  readonly affectedSopInstanceUid?: string;
}

/** C-FIND-RQ (PS3.7 Table 9.3-3). A data set (the Identifier) always follows. */
export interface CFindRq {
  readonly kind: 'C-FIND-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0002) M */
  readonly affectedSopClassUid: string;
  /** (0000,0700) M; `toCommandSet` sends Medium when absent. Always set by `parseCommand`. */
  readonly priority?: Priority;
}

/** C-FIND-RSP (PS3.7 Table 9.3-4). */
export interface CFindRsp extends DimseCStatusDetail {
  readonly kind: 'C-FIND-RSP';
  /** (0000,0120) M */
  readonly messageIdBeingRespondedTo: number;
  /** (0000,0900) M */
  readonly status: number;
  /** (0000,0002) U(=) */
  readonly affectedSopClassUid?: string;
  /** Identifier, C: present with a Pending status (one match), absent otherwise (PS3.7 §9.1.2). */
  readonly hasDataSet: boolean;
}

/** C-GET-RQ (PS3.7 Table 9.3-6). A data set (the Identifier) always follows. */
export interface CGetRq {
  readonly kind: 'C-GET-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0002) M */
  readonly affectedSopClassUid: string;
  /** (0000,0700) M; `toCommandSet` sends Medium when absent. Always set by `parseCommand`. */
  readonly priority?: Priority;
}

/** The sub-operation counters of C-GET-RSP and C-MOVE-RSP (PS3.4 C.4.2.1.6–C.4.2.1.9, C.4.3.1). */
export interface SuboperationCounts {
  /** (0000,1020) C: with Pending; may be with Cancel; never with a final Success/Warning/Failure. */
  readonly numberOfRemainingSuboperations?: number;
  /** (0000,1021) C: with Pending, Cancel, Warning and Success; may be with Failure. */
  readonly numberOfCompletedSuboperations?: number;
  /** (0000,1022) C: as Completed. */
  readonly numberOfFailedSuboperations?: number;
  /** (0000,1023) C: as Completed. */
  readonly numberOfWarningSuboperations?: number;
}

/** C-GET-RSP (PS3.7 Table 9.3-7). */
export interface CGetRsp extends DimseCStatusDetail, SuboperationCounts {
  readonly kind: 'C-GET-RSP';
  /** (0000,0120) M */
  readonly messageIdBeingRespondedTo: number;
  /** (0000,0900) M */
  readonly status: number;
  /** (0000,0002) U(=) */
  readonly affectedSopClassUid?: string;
  /** Identifier, U: a Failed SOP Instance UID List; never with Pending or Success when sending. */
  readonly hasDataSet: boolean;
}

/** C-MOVE-RQ (PS3.7 Table 9.3-9). A data set (the Identifier) always follows. */
export interface CMoveRq {
  readonly kind: 'C-MOVE-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0002) M */
  readonly affectedSopClassUid: string;
  /** (0000,0700) M; `toCommandSet` sends Medium when absent. Always set by `parseCommand`. */
  readonly priority?: Priority;
  /** (0000,0600) M: AE title the C-STORE sub-operations go to. */
  readonly moveDestination: string;
}

/** C-MOVE-RSP (PS3.7 Table 9.3-10). */
export interface CMoveRsp extends DimseCStatusDetail, SuboperationCounts {
  readonly kind: 'C-MOVE-RSP';
  /** (0000,0120) M */
  readonly messageIdBeingRespondedTo: number;
  /** (0000,0900) M */
  readonly status: number;
  /** (0000,0002) U(=) */
  readonly affectedSopClassUid?: string;
  /** Identifier, U: a Failed SOP Instance UID List; never with Pending or Success when sending. */
  readonly hasDataSet: boolean;
}

/**
 * C-CANCEL-RQ (PS3.7 Tables 9.3-5, 9.3-8, 9.3-11): cancels the C-FIND, C-GET or C-MOVE whose
 * Message ID it names. It has no Message ID of its own, no data set and no response.
 */
export interface CCancelRq {
  readonly kind: 'C-CANCEL-RQ';
  /** (0000,0120) M: the Message ID of the operation to cancel. */
  readonly messageIdBeingRespondedTo: number;
}
