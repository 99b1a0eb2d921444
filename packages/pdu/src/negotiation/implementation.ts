/**
 * dicomnet's Implementation Class UID (PS3.7 D.3.3.2), sent in every A-ASSOCIATE-RQ and -AC
 * unless overridden. A UUID-derived UID under the 2.25 arc (PS3.5 B.2), so it needs no
 * registered root.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.73652781638855999625116983996724504517';

/** dicomnet's Implementation Version Name (PS3.7 D.3.3.2): at most 16 characters. */
export const IMPLEMENTATION_VERSION_NAME = 'DICOMNET_0_1';
