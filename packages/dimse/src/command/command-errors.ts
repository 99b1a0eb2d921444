import { DicomnetError } from '@dicomnet/pdu';

/**
 * The bytes of a received command set are malformed (PS3.7 §6.3.1, PS3.5 §7.1.3 Implicit VR
 * Little Endian): a truncated element header, an odd or undefined value length, a value that
 * overruns the buffer, a tag outside group 0000, elements out of ascending order or repeated, a
 * Command Group Length (0000,0000) that does not match the bytes that follow it, a value of the
 * wrong size for its VR (a US that is not 2 bytes, an AT list that is not a multiple of 4), or a
 * command set without Command Field (0000,0100) or Command Data Set Type (0000,0800).
 *
 * No field of such a command set can be trusted (not even the Message ID), so no DIMSE response can
 * be addressed; the association layer is expected to abort.
 */
export class CommandSetError extends DicomnetError {
  /**
   * @param offset - Where the problem was found, in bytes from the first byte of the command set.
   * @param detail - What is wrong.
   */
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super('DICOMNET_DIMSE_BAD_COMMAND_SET', `malformed command set at byte ${offset}: ${detail}`);
  }
}

/**
 * A well-formed command set breaks the rules of its DIMSE service (PS3.7 §9.1/§9.3 for DIMSE-C,
 * §10.1/§10.3 for DIMSE-N): an unknown Command Field, a missing or mistyped mandatory field, a
 * conditional field or data set present where it must not be (or absent where it must be).
 *
 * Thrown by `toCommandSet` before sending (a local programming error) and by `parseCommand` on
 * receipt. For a received request, `status` is the DIMSE failure status to answer with:
 * 0211H Unrecognized operation for an unknown Command Field (PS3.7 C.5.23), 0117H Invalid SOP
 * Instance for a SOP Instance UID that breaks the UID rules (PS3.7 C.5.12), 0212H Mistyped
 * argument otherwise (PS3.7 C.5.15). For a received response it is informational only: the
 * caller aborts the association.
 */
export class CommandValidationError extends DicomnetError {
  /**
   * @param commandField - The Command Field (0000,0100) of the offending command set.
   * @param field - The camelCase name of the offending field, e.g. `requestedSopClassUid`;
   *   `commandDataSetType` for a data set rule, `commandField` for an unknown command.
   * @param status - The DIMSE status a receiver should answer with (see the class description).
   * @param detail - What is wrong.
   */
  constructor(
    readonly commandField: number,
    readonly field: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(
      'DICOMNET_DIMSE_INVALID_COMMAND',
      `command 0x${commandField.toString(16).padStart(4, '0')}: ${field}: ${detail}`,
    );
  }
}

/**
 * A value handed to the command set encoder (or to `responseFieldFor`) cannot be put on the wire:
 * a US outside 0..65535, a UID longer than 64 characters or with characters other than digits and
 * dots (PS3.5 §9.1), an AE title longer than 16 characters or with control characters or a
 * backslash (PS3.5 §6.2), an Error Comment outside the default character repertoire (PS3.7 C.5.2
 * note), a malformed raw element. A local programming error, thrown before anything is sent.
 */
export class InvalidCommandFieldError extends DicomnetError {
  /**
   * @param field - Name of the offending field, e.g. `affectedSopInstanceUid`.
   * @param detail - What is wrong with it.
   */
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super('DICOMNET_DIMSE_INVALID_FIELD', `${field}: ${detail}`);
  }
}
