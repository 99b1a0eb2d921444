/** The Verification SOP Class, which C-ECHO serves (PS3.4 Annex A.4). */
export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';
