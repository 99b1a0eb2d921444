/**
 * Limits and timers of the DIMSE layer, in bytes and milliseconds. Every buffer a peer can fill
 * is bounded by one of them. Byte limits on what is held count its real cost: the bytes plus
 * `FRAGMENT_OVERHEAD_BYTES` (128) per fragment held, so empty or 1-byte PDVs cannot
 * make a small byte count hold a large heap. A peer past a limit gets a failure status where
 * the message can still be answered, an A-ABORT otherwise (see each limit).
 */
export interface DimseLimits {
  /**
   * Most a command set may cost while it is received (bytes plus 128 per fragment). Default
   * 64 KiB (commands are a few hundred bytes). Past it: A-ABORT, `DICOMNET_DIMSE_MESSAGE_TOO_LARGE`.
   */
  readonly maxCommandLength?: number;
  /**
   * Most PDVs one message (command set and data set together) may be split into. Default
   * 1,048,576 (16 GiB in PDUs of 16 KiB). Past it: A-ABORT, `DICOMNET_DIMSE_TOO_MANY_FRAGMENTS`.
   */
  readonly maxPdvFragments?: number;
  /**
   * Most a data set held in memory may cost (bytes plus 128 per fragment): N-service attribute
   * lists, identifiers, responses. C-STORE data sets stream and are not bounded by this.
   * Default 16 MiB. Past it the data set is dropped as it arrives and the request is answered
   * 0x0213 (N-services) or 0xA700 (C-services); a response over it rejects the request.
   */
  readonly maxReassembledBytes?: number;
  /**
   * Most bytes any one received data set may have in total, held or not: a streamed C-STORE
   * data set (so that one that never ends cannot fill a disk through a streaming handler), one
   * past `maxReassembledBytes` that is only counted, one that is dropped. Default 4 GiB. Past
   * it: A-ABORT, `DICOMNET_DIMSE_MESSAGE_TOO_LARGE`, and a handler's stream fails (nothing is
   * stored).
   */
  readonly maxStreamedDataSetBytes?: number;
  /** How long to wait for each response to a request we sent; 0 = forever. Default 60,000. */
  readonly dimseTimeout?: number;
  /**
   * Most a streamed data set's fragments waiting for their consumer may cost (bytes plus 128 per
   * fragment); beyond it the socket is paused. Default 1 MiB.
   */
  readonly streamHighWaterMark?: number;
  /**
   * Releases the association after this many milliseconds without a message in either
   * direction and nothing outstanding; 0 = never. Default 0.
   */
  readonly idleTimeout?: number;
}

/** Default of {@link DimseLimits.maxCommandLength}. */
export const DEFAULT_MAX_COMMAND_LENGTH = 64 * 1024;
/** Default of {@link DimseLimits.maxPdvFragments}. */
export const DEFAULT_MAX_PDV_FRAGMENTS = 1 << 20;
/** Default of {@link DimseLimits.maxStreamedDataSetBytes}. */
export const DEFAULT_MAX_STREAMED_DATA_SET_BYTES = 4 * 1024 ** 3;
/** Default of {@link DimseLimits.streamHighWaterMark}. */
export const DEFAULT_STREAM_HIGH_WATER_MARK = 1 << 20;
/** Default of {@link DimseLimits.maxReassembledBytes}. */
export const DEFAULT_MAX_REASSEMBLED_BYTES = 16 * 1024 * 1024;
/** Default of {@link DimseLimits.dimseTimeout}. */
export const DEFAULT_DIMSE_TIMEOUT = 60_000;
