/** Limits and timers of one association, all in bytes or milliseconds. */
export interface AssociationLimits {
  /**
   * How long we wait for the peer during establishment and release (Sta2, Sta5, Sta7, Sta10,
   * Sta11, Sta13), in ms. Default 30,000. This is ARTIM (PS3.8 §9.1.5) where the standard has it.
   */
  readonly artimTimeout?: number;
  /** Largest A-ASSOCIATE-RQ/AC PDU accepted, in bytes. Default 1 MiB. */
  readonly maxAssociatePduLength?: number;
  /**
   * Acceptor: how long the acceptor policy (with `authenticate`) may take to answer an
   * A-ASSOCIATE-RQ (Sta3), in ms. Default 30,000. On expiry the peer gets A-ASSOCIATE-RJ 2/3/1
   * (rejected-transient, temporary-congestion) and the association ends with
   * `DICOMNET_USER_RESPONSE_TIMEOUT`. The standard sets no bound on Sta3 (PS3.8 Table 9-10).
   */
  readonly associateResponseTimeout?: number;
  /**
   * How long `onReleaseRequest` may take after the peer asked to release (Sta8, and Sta9/Sta12
   * in a release collision), in ms. Default 30,000. On expiry we send A-ABORT source 2, reason 0
   * rather than an A-RELEASE-RP that would claim a normal release (PS3.8 7.2.2), and the
   * association ends with `DICOMNET_USER_RESPONSE_TIMEOUT`.
   */
  readonly releaseResponseTimeout?: number;
  /**
   * Most PDUs read but not yet handled while a handler holds input (its `onPData` promise is
   * pending). Default 4096. Past it, or past `maxPendingBytes`, the association is aborted
   * (A-ABORT 2/0) with `DICOMNET_PDU_PENDING_LIMIT` as the cause.
   */
  readonly maxPendingPdus?: number;
  /**
   * Most bytes those pending PDUs may cost: each counts its body plus 256 bytes of overhead.
   * Default 4 MiB plus one PDU of the largest size we accept (`maxPduLength`, or 64 MiB when it
   * is 0, or `maxAssociatePduLength` if larger), so one whole PDU always fits.
   */
  readonly maxPendingBytes?: number;
}

/** Default of {@link AssociationLimits.maxPendingPdus}. */
export const DEFAULT_MAX_PENDING_PDUS = 4096;

/** The part of the default {@link AssociationLimits.maxPendingBytes} beyond one largest PDU. */
export const DEFAULT_MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** Default of {@link AssociationLimits.artimTimeout}. */
export const DEFAULT_ARTIM_TIMEOUT = 30_000;

/**
 * Default of {@link AssociationLimits.associateResponseTimeout} and
 * {@link AssociationLimits.releaseResponseTimeout}.
 */
export const DEFAULT_USER_RESPONSE_TIMEOUT = 30_000;
