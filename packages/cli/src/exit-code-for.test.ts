import { AssociationRejectedError } from '@dicomnet/pdu';
import { ResponseMismatchError, TooManyFragmentsError } from '@dicomnet/dimse';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from './exit-code-for.js';
import { ExitCode } from './exit-codes.js';

describe('exitCodeFor', () => {
  it('maps a rejection to Rejected and anything unknown to Failed', () => {
    expect(exitCodeFor(new AssociationRejectedError(1, 1, 3))).toBe(ExitCode.Rejected);
    expect(exitCodeFor(new Error('anything'))).toBe(ExitCode.Failed);
  });

  it('maps a peer that broke the protocol or a limit (the association aborted) to Aborted', () => {
    expect(exitCodeFor(new ResponseMismatchError('C-ECHO-RSP', 'C-STORE-RSP', 1))).toBe(
      ExitCode.Aborted,
    );
    expect(exitCodeFor(new TooManyFragmentsError(10))).toBe(ExitCode.Aborted);
  });
});
