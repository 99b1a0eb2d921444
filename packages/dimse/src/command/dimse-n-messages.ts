/**
 * Status-related fields a DIMSE-N response may carry with some statuses (PS3.7 Annex C): Error
 * Comment and Error ID with 0110H Processing failure (C.5.21); Error Comment also with the
 * Warning, Axxx, Cxxx, 0122H and 0124H statuses; Offending Element with Warning 0001H/Bxxx and the
 * Axxx/Cxxx service-specific failures (C.4.1, C.5.1–C.5.3).
 */
export interface DimseNStatusDetail {
  /** (0000,0901) tags of the elements in which the error was found. */
  readonly offendingElement?: readonly number[];
  /** (0000,0902) free text, default character repertoire, at most 64 characters. */
  readonly errorComment?: string;
  /** (0000,0903) application-specific error code (with 0110H only, PS3.7 C.5.21). */
  readonly errorId?: number;
}

/** Fields shared by every DIMSE-N response. */
export interface DimseNResponseFields extends DimseNStatusDetail {
  /** (0000,0120) M */
  readonly messageIdBeingRespondedTo: number;
  /** (0000,0900) M */
  readonly status: number;
  /** (0000,0002) U(=) (also an Annex C companion of several failure statuses). */
  readonly affectedSopClassUid?: string;
  /** (0000,1000) U(=) (also an Annex C companion of several failure statuses). */
  readonly affectedSopInstanceUid?: string;
}

/** N-EVENT-REPORT-RQ (PS3.7 Table 10.3-1). */
export interface NEventReportRq {
  readonly kind: 'N-EVENT-REPORT-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0002) M */
  readonly affectedSopClassUid: string;
  /** (0000,1000) M */
  readonly affectedSopInstanceUid: string;
  /** (0000,1002) M: event type, defined per SOP class in PS3.4. */
  readonly eventTypeId: number;
  /** Event Information, U. */
  readonly hasDataSet: boolean;
}

/** N-EVENT-REPORT-RSP (PS3.7 Table 10.3-2). */
export interface NEventReportRsp extends DimseNResponseFields {
  readonly kind: 'N-EVENT-REPORT-RSP';
  /** (0000,1002) C(=): required when an Event Reply is sent (PS3.7 §10.1.1.1). */
  readonly eventTypeId?: number;
  /** (0000,1005) with 0120H Missing Attribute: the attributes left out (PS3.7 C.5.13). */
  readonly attributeIdentifierList?: readonly number[];
  /** Event Reply, C: per SOP class in PS3.4; with a Success or Warning status (or 0115H). */
  readonly hasDataSet: boolean;
}

/** N-GET-RQ (PS3.7 Table 10.3-3). No data set: the selection travels in the command. */
export interface NGetRq {
  readonly kind: 'N-GET-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0003) M */
  readonly requestedSopClassUid: string;
  /** (0000,1001) M */
  readonly requestedSopInstanceUid: string;
  /** (0000,1005) U: the attributes wanted; absent or empty means all of them. */
  readonly attributeIdentifierList?: readonly number[];
}

/** N-GET-RSP (PS3.7 Table 10.3-4). */
export interface NGetRsp extends DimseNResponseFields {
  readonly kind: 'N-GET-RSP';
  /** (0000,1005) with 0107H Attribute list warning: the attributes not recognized (PS3.7 C.4.2). */
  readonly attributeIdentifierList?: readonly number[];
  /** Attribute List, C: with a Success or Warning status only (PS3.7 §10.1.2.1). */
  readonly hasDataSet: boolean;
}

/** N-SET-RQ (PS3.7 Table 10.3-5). A data set (the Modification List) always follows. */
export interface NSetRq {
  readonly kind: 'N-SET-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0003) M */
  readonly requestedSopClassUid: string;
  /** (0000,1001) M */
  readonly requestedSopInstanceUid: string;
}

/** N-SET-RSP (PS3.7 Table 10.3-6). */
export interface NSetRsp extends DimseNResponseFields {
  readonly kind: 'N-SET-RSP';
  /** (0000,1005) with 0105H No such attribute: the attributes not recognized (PS3.7 C.5.17). */
  readonly attributeIdentifierList?: readonly number[];
  /** Attribute List, U. */
  readonly hasDataSet: boolean;
}

/** N-ACTION-RQ (PS3.7 Table 10.3-7). */
export interface NActionRq {
  readonly kind: 'N-ACTION-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0003) M */
  readonly requestedSopClassUid: string;
  /** (0000,1001) M */
  readonly requestedSopInstanceUid: string;
  /** (0000,1008) M: action type, defined per SOP class in PS3.4. */
  readonly actionTypeId: number;
  /** Action Information, U. */
  readonly hasDataSet: boolean;
}

/** N-ACTION-RSP (PS3.7 Table 10.3-8). */
export interface NActionRsp extends DimseNResponseFields {
  readonly kind: 'N-ACTION-RSP';
  /** (0000,1008) C(=): required when an Action Reply is sent (PS3.7 §10.1.4.1.5). */
  readonly actionTypeId?: number;
  /** (0000,1005) with 0120H Missing Attribute (PS3.7 C.5.13) or a service warning that lists it. */
  readonly attributeIdentifierList?: readonly number[];
  /** Action Reply, C: per SOP class in PS3.4; with a Success or Warning status (or 0115H). */
  readonly hasDataSet: boolean;
}

/** N-CREATE-RQ (PS3.7 Table 10.3-9). */
export interface NCreateRq {
  readonly kind: 'N-CREATE-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0002) M */
  readonly affectedSopClassUid: string;
  /** (0000,1000) U: when absent the performer assigns the UID (PS3.7 §10.1.5.1.4). */
  readonly affectedSopInstanceUid?: string;
  /** Attribute List, U. */
  readonly hasDataSet: boolean;
}

/**
 * N-CREATE-RSP (PS3.7 Table 10.3-10). Affected SOP Instance UID (C, PS3.7 §10.1.5.1.4) may
 * appear only in a successful response and must appear when the request did not carry one.
 */
export interface NCreateRsp extends DimseNResponseFields {
  readonly kind: 'N-CREATE-RSP';
  /** (0000,1005) with 0107H or 0105H: the attributes not recognized (PS3.7 C.4.2, C.5.17). */
  readonly attributeIdentifierList?: readonly number[];
  /** Attribute List, U. */
  readonly hasDataSet: boolean;
}

/** N-DELETE-RQ (PS3.7 Table 10.3-11). No data set. */
export interface NDeleteRq {
  readonly kind: 'N-DELETE-RQ';
  /** (0000,0110) M */
  readonly messageId: number;
  /** (0000,0003) M */
  readonly requestedSopClassUid: string;
  /** (0000,1001) M */
  readonly requestedSopInstanceUid: string;
}

/** N-DELETE-RSP (PS3.7 Table 10.3-12). No data set. */
export interface NDeleteRsp extends DimseNResponseFields {
  readonly kind: 'N-DELETE-RSP';
}
