// Each command's implementation, imported only when the command runs. These paths are left as
// they are by the bundler (tsup.config.ts marks them external): they are relative to this
// file's folder, src/, and equally to dist/, where bin.js and the built actions/ sit.
import type * as DemoAction from './actions/demo.js';
import type * as EchoAction from './actions/echo.js';
import type * as FindAction from './actions/find.js';
import type * as ImportAction from './actions/import.js';
import type * as InventoryDiffAction from './actions/inventory-diff.js';
import type * as InventoryRequestAction from './actions/inventory-request.js';
import type * as InventoryShowAction from './actions/inventory-show.js';
import type * as RetrieveAction from './actions/retrieve.js';
import type * as ServeAction from './actions/serve.js';
import type * as StoreAction from './actions/store.js';

/** `dicomnet echo`'s implementation. */
export const loadEcho = (): Promise<typeof EchoAction> => import('./actions/echo.js');
/** `dicomnet find`'s implementation. */
export const loadFind = (): Promise<typeof FindAction> => import('./actions/find.js');
/** `dicomnet get` and `dicomnet move`'s implementation. */
export const loadRetrieve = (): Promise<typeof RetrieveAction> => import('./actions/retrieve.js');
/** `dicomnet store`'s implementation. */
export const loadStore = (): Promise<typeof StoreAction> => import('./actions/store.js');
/** `dicomnet serve`'s implementation. */
export const loadServe = (): Promise<typeof ServeAction> => import('./actions/serve.js');
/** `dicomnet demo`'s implementation. */
export const loadDemo = (): Promise<typeof DemoAction> => import('./actions/demo.js');
/** `dicomnet import`'s implementation. */
export const loadImport = (): Promise<typeof ImportAction> => import('./actions/import.js');
/** `dicomnet inventory show`'s implementation. */
export const loadInventoryShow = (): Promise<typeof InventoryShowAction> =>
  import('./actions/inventory-show.js');
/** `dicomnet inventory diff`'s implementation. */
export const loadInventoryDiff = (): Promise<typeof InventoryDiffAction> =>
  import('./actions/inventory-diff.js');
/** `dicomnet inventory request|status|cancel|pause|resume`'s implementation. */
export const loadInventoryRequest = (): Promise<typeof InventoryRequestAction> =>
  import('./actions/inventory-request.js');
