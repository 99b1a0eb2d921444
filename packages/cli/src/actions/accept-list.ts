import { timingSafeEqual } from 'node:crypto';
import { UserIdentityType } from '@dicomnet/pdu';
import type { UserIdentityRequest } from '@dicomnet/pdu';
import type { AcceptedUser } from '../commands/identity-options.js';

const encoder = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  // timingSafeEqual needs equal lengths; comparing a with itself keeps the time independent of b.
  return a.byteLength === b.byteLength ? timingSafeEqual(a, b) : !timingSafeEqual(a, a);
}

/**
 * The check `serve --accept-user` applies to a User Identity sub-item (PS3.7 D.3.3.7.1): a user
 * name (type 1) is accepted when listed without a passcode, a user name and passcode (type 2)
 * when listed with that passcode; Kerberos, SAML and JWT identities (types 3-5) are refused, as
 * this list cannot check them (PS3.15 B.4 asks an acceptor to support types 1 and 2 only).
 */
export function acceptListCheck(
  users: readonly AcceptedUser[],
): (identity: UserIdentityRequest) => boolean {
  const entries = users.map((user) => ({
    name: encoder.encode(user.name),
    password: user.password === undefined ? undefined : encoder.encode(user.password),
  }));
  return (identity) => {
    const type = identity.identityType;
    if (type !== UserIdentityType.Username && type !== UserIdentityType.UsernameAndPasscode) {
      return false;
    }
    const password =
      type === UserIdentityType.UsernameAndPasscode ? identity.secondaryField : undefined;
    return entries.some(
      (entry) =>
        sameBytes(entry.name, identity.primaryField) &&
        (entry.password === undefined || password === undefined
          ? entry.password === password
          : sameBytes(entry.password, password)),
    );
  };
}
