// A scripted Inventory Creation SCP for the SCU's tests: a real DIMSE peer (dimse createServer /
// connect over TCP on 127.0.0.1) whose answers and reports each test writes, so every event and
// status the SCU must handle can be produced on purpose.
import type { DataSet } from '@dicomnet/data';
import type {
  ActionRequest,
  DimseClient,
  DimseServer,
  NResult,
  StatusReply,
} from '@dicomnet/dimse';
import { connect, createServer } from '@dicomnet/dimse';
import {
  INVENTORY_CREATION_SOP_CLASS,
  INVENTORY_STORAGE_SOP_CLASS,
  STORAGE_MANAGEMENT_SOP_INSTANCE,
} from '../../src/index.js';

export const EXPLICIT = '1.2.840.10008.1.2.1';
export const IMPLICIT = '1.2.840.10008.1.2';

/** An N-ACTION the scripted SCP received. */
export interface ReceivedAction {
  readonly actionTypeId: number;
  readonly information: DataSet;
  readonly callingAeTitle: string;
}

/** What a script does with one N-ACTION: answer it, and report through `request.peer`. */
export type ActionScript = (
  request: ActionRequest,
  report: (eventTypeId: number, information: DataSet) => Promise<NResult | undefined>,
) => StatusReply | number | void | Promise<StatusReply | number | void>;

/** The scripted SCP: the N-ACTIONs it received, the reports it sent and how they were answered. */
export interface ScriptedScp {
  readonly port: number;
  readonly actions: ReceivedAction[];
  /** Statuses (or error codes) of the reports sent, in order. */
  readonly reportOutcomes: (number | string)[];
  /** Associations accepted so far. */
  readonly associations: () => number;
  /** Associations open now. */
  readonly open: () => number;
  close(): Promise<void>;
}

/** Starts a scripted SCP on 127.0.0.1; `script` answers each N-ACTION. */
export async function startScriptedScp(script: ActionScript): Promise<ScriptedScp> {
  const actions: ReceivedAction[] = [];
  const reportOutcomes: (number | string)[] = [];
  let associations = 0;
  const server: DimseServer = createServer({
    onAssociation: () => {
      associations++;
    },
    aeTitles: ['INVSCP'],
    contexts: [
      { abstractSyntax: INVENTORY_CREATION_SOP_CLASS, transferSyntaxes: [EXPLICIT, IMPLICIT] },
    ],
    handlers: {
      action(request) {
        actions.push({
          actionTypeId: request.actionTypeId,
          information: request.actionInformation ?? {},
          callingAeTitle: request.association.callingAeTitle,
        });
        // Never rejects: the outcome (a status or an error code) is recorded instead.
        const report = async (
          eventTypeId: number,
          information: DataSet,
        ): Promise<NResult | undefined> => {
          try {
            const result = await request.peer.eventReport({
              sopClassUid: INVENTORY_CREATION_SOP_CLASS,
              sopInstanceUid: STORAGE_MANAGEMENT_SOP_INSTANCE,
              eventTypeId,
              eventInformation: information,
            });
            reportOutcomes.push(result.status);
            return result;
          } catch (error) {
            reportOutcomes.push(outcomeOf(error));
            return undefined;
          }
        };
        return script(request, report);
      },
    },
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    port,
    actions,
    reportOutcomes,
    associations: () => associations,
    open: () => server.size,
    async close() {
      await server.abortAll();
      await server.close();
    },
  };
}

/** Waits until `condition` holds, polling every 10 ms; fails after `ms`. */
export async function waitUntil(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function outcomeOf(error: unknown): number | string {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return status;
  return (error as { code?: string }).code ?? String(error);
}

/**
 * The scripted SCP reporting later, on an association it opens to the SCU's listener as
 * requestor in the SCP role (SCP/SCU Role Selection, PS3.7 D.3.3.4).
 */
export async function callScu(
  port: number,
  aeTitle = 'INVSCU',
  transferSyntaxes = [EXPLICIT],
): Promise<DimseClient> {
  return connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'INVSCP',
    calledAeTitle: aeTitle,
    contexts: [
      {
        abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
        transferSyntaxes,
        roles: { scu: false, scp: true },
      },
    ],
  });
}

/** Sends one report on `client`; resolves with its status, or the failure status it got. */
export async function report(
  client: DimseClient,
  eventTypeId: number,
  information: DataSet | undefined,
  target: { sopClassUid?: string; sopInstanceUid?: string } = {},
): Promise<{ status: number; details: Record<string, unknown> }> {
  try {
    const result = await client.eventReport({
      sopClassUid: target.sopClassUid ?? INVENTORY_CREATION_SOP_CLASS,
      sopInstanceUid: target.sopInstanceUid ?? STORAGE_MANAGEMENT_SOP_INSTANCE,
      eventTypeId,
      ...(information !== undefined && { eventInformation: information }),
    });
    return { status: result.status, details: {} };
  } catch (error) {
    const { status, details } = error as { status?: number; details?: Record<string, unknown> };
    if (typeof status !== 'number') throw error;
    return { status, details: details ?? {} };
  }
}

/** Event Information of Inventory Status (12). */
export function statusEvent(transactionUid: string, state: string, total: number): DataSet {
  return {
    '00081195': { vr: 'UI', Value: [transactionUid] },
    '00080417': { vr: 'CS', Value: [state] },
    '00080428': { vr: 'UV', Value: [BigInt(total)] },
  };
}

/** Event Information of Inventory Terminated with Instances (11). */
export function completedEvent(
  transactionUid: string,
  root: string,
  total: number,
  state = 'COMPLETE',
): DataSet {
  return {
    '00081195': { vr: 'UI', Value: [transactionUid] },
    '00080417': { vr: 'CS', Value: [state] },
    '00081150': { vr: 'UI', Value: [INVENTORY_STORAGE_SOP_CLASS] },
    '00081155': { vr: 'UI', Value: [root] },
    '00080054': { vr: 'AE', Value: ['INVSCP'] },
    '00080428': { vr: 'UV', Value: [BigInt(total)] },
  };
}

/** Event Information of Inventory Terminated without Instances (13). */
export function abandonedEvent(transactionUid: string, state: string, comment?: string): DataSet {
  return {
    '00081195': { vr: 'UI', Value: [transactionUid] },
    '00080417': { vr: 'CS', Value: [state] },
    ...(comment !== undefined && { '00080418': { vr: 'LT', Value: [comment] } }),
  };
}

/** The Transaction UID of an N-ACTION's Action Information. */
export function transactionOf(information: DataSet | undefined): string {
  const value = information?.['00081195']?.Value?.[0];
  return typeof value === 'string' ? value : '';
}
