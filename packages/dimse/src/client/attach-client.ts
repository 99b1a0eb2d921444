import type { Association } from '@dicomnet/pdu';
import type { DimseLimits } from '../association/dimse-limits.js';
import { DimseAssociation } from '../association/dimse-association.js';
import type { DataSetCodec } from '@dicomnet/data';
import { createDispatcher } from '../services/dispatch.js';
import type { DimseHandlers } from '../services/handlers.js';
import { DimseClient } from './dimse-client.js';
import { StoreRoute } from './store-route.js';
import type { MoveDestinations } from '../services/move-sender.js';

/**
 * Puts the DIMSE layer on an established association, on either side: requests we send go
 * through the returned client, requests the peer sends go to `handlers`.
 */
export function attachClient(
  association: Association,
  handlers: DimseHandlers,
  codec: DataSetCodec,
  limits: DimseLimits,
  moveDestinations?: MoveDestinations,
): DimseClient {
  // Handlers receive the client (to answer on the same association); it exists before any
  // request can arrive, since P-DATA is held until the DIMSE layer installs its handlers.
  const holder: { client?: DimseClient } = {};
  const stores = new StoreRoute();
  const dispatch = createDispatcher(handlers, codec, () => holder.client as DimseClient, {
    stores,
    ...(moveDestinations !== undefined && { moveDestinations }),
  });
  holder.client = new DimseClient(
    new DimseAssociation(association, dispatch, limits),
    codec,
    stores,
  );
  return holder.client;
}
