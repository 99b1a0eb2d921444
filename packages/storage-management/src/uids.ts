// The UIDs of the Storage Management Service Class and its neighbours (PS3.4 KK.1, JJ, GG.6.6;
// PS3.6 Table A-1). See ../shared/spec/storage-management-corrections.md §1.1.

/** Inventory Creation SOP Class (PS3.4 KK.2). */
export const INVENTORY_CREATION_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.201.5';
/**
 * The well-known Storage Management SOP Instance (PS3.4 KK.1.3.2): the Requested SOP Instance of
 * every N-ACTION and the Affected SOP Instance of every N-EVENT-REPORT (KK.2.2.2, KK.2.3.2).
 */
export const STORAGE_MANAGEMENT_SOP_INSTANCE = '1.2.840.10008.5.1.4.1.1.201.1.1';
/** Inventory Storage SOP Class (PS3.4 GG.6.6): the class of every Inventory instance produced. */
export const INVENTORY_STORAGE_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.201.1';
/** Inventory - FIND (PS3.4 JJ.3.1). */
export const INVENTORY_FIND_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.201.2';
/** Inventory - MOVE (PS3.4 JJ.3.2). */
export const INVENTORY_MOVE_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.201.3';
/** Inventory - GET (PS3.4 JJ.3.3). */
export const INVENTORY_GET_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.201.4';
