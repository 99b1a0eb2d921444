// Our C-FIND and C-MOVE SCU against DCMTK's dcmqrscp: studies, series and instances stored there
// first (with our C-STORE) are found again field by field and moved to our store SCP byte for
// byte; a C-FIND or C-MOVE left early is cancelled at the peer.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstances, startDcmqrscp, tempDir } from '@dicomnet/test-utils';
import type { Dcmqrscp, GeneratedInstance } from '@dicomnet/test-utils';
import {
  connect,
  DIMSE_DIAGNOSTICS_CHANNELS,
  openInstanceFile,
  storeToDirectory,
} from '../../src/index.js';
import type { DimseClient, DimseMessageEvent, SuboperationProgress } from '../../src/index.js';
import { startOurStoreScp } from './our-store-scp.js';
import type { OurStoreScp } from './our-store-scp.js';
import { expectFolderHolds } from './stored-instances.js';
import { EXPLICIT, IMPLICIT, VERIFICATION } from './uids.js';

const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const STUDY_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const LEVEL = '00080052';
const STUDY_UID = '0020000D';
const SERIES_UID = '0020000E';
const SOP_INSTANCE_UID = '00080018';
const PATIENT_ID = '00100020';
const BIG_STUDY_SIZE = 400;

let qrscp: Dcmqrscp;
let destination: OurStoreScp;
const studies: { patientId: string; instances: GeneratedInstance[] }[] = [];
let work: Awaited<ReturnType<typeof tempDir>>;

function open(): Promise<DimseClient> {
  return connect({
    host: '127.0.0.1',
    port: qrscp.port,
    callingAeTitle: 'DICOMNET',
    calledAeTitle: qrscp.aeTitle,
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      { abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      { abstractSyntax: STUDY_ROOT_MOVE, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      // We store there, and receive C-GET's sub-operations (PS3.4 C.4.3.1: role selection).
      {
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [EXPLICIT],
        roles: { scu: true, scp: true },
      },
    ],
    connectTimeout: 10_000,
  });
}

function value(dataSet: DataSet, tag: string): unknown {
  return dataSet[tag]?.Value?.[0];
}

async function collect(client: DimseClient, identifier: DataSet): Promise<DataSet[]> {
  const found: DataSet[] = [];
  for await (const match of client.find({ sopClassUid: STUDY_ROOT_FIND, identifier })) {
    found.push(match);
  }
  return found;
}

beforeAll(async () => {
  work = await tempDir('dicomnet-qr-');
  destination = await startOurStoreScp(path.join(work.path, 'moved'), { aeTitles: ['MOVEDEST'] });
  qrscp = await startDcmqrscp({
    moveDestinations: [{ aeTitle: 'MOVEDEST', port: destination.port }],
  });
  const sizes = [3, 2, BIG_STUDY_SIZE];
  for (const [index, count] of sizes.entries()) {
    const patientId = `FIND${index + 1}`;
    const folder = path.join(work.path, `study-${index}`);
    await mkdir(folder);
    const instances = await generateInstances(folder, {
      count,
      pixelBytes: 64,
      patientId,
      patientName: `Find^Study${index + 1}`,
    });
    studies.push({ patientId, instances });
  }
  const client = await open();
  try {
    for (const { instances } of studies) {
      for (const instance of instances) {
        const file = await openInstanceFile(instance.path);
        await client.store(file.instance());
      }
    }
  } finally {
    await client.release();
  }
}, 120_000);

afterAll(async () => {
  await qrscp?.stop();
  await destination?.close();
  await work?.remove();
});

function studyIdentifier(instances: readonly GeneratedInstance[]): DataSet {
  return {
    [LEVEL]: { vr: 'CS', Value: ['STUDY'] },
    [STUDY_UID]: { vr: 'UI', Value: [instances[0]?.studyInstanceUid ?? ''] },
  };
}

describe('our C-MOVE SCU against dcmqrscp', () => {
  it('moves a study to our store SCP, every instance byte for byte', async () => {
    const instances = studies[1]?.instances ?? [];
    const client = await open();
    try {
      const progress: SuboperationProgress[] = [];
      const moves = client.move({
        sopClassUid: STUDY_ROOT_MOVE,
        identifier: studyIdentifier(instances),
        destination: 'MOVEDEST',
      });
      let next = await moves.next();
      while (next.done !== true) {
        progress.push(next.value);
        next = await moves.next();
      }
      expect(next.value).toMatchObject({
        status: 0,
        completed: instances.length,
        failed: 0,
        warning: 0,
        failedSopInstanceUids: [],
      });
      // Pending counts only grow (PS3.4 C.4.2.3.1), and never past the study.
      const completed = progress.map((step) => step.completed);
      expect(completed).toEqual([...completed].sort((a, b) => a - b));
      expect(Math.max(0, ...completed)).toBeLessThanOrEqual(instances.length);
      await expectFolderHolds(destination.dir, instances);
    } finally {
      await client.release();
    }
  });

  it('gets 0xA801 Move destination unknown for an AE dcmqrscp does not know', async () => {
    const client = await open();
    try {
      const moves = client.move({
        sopClassUid: STUDY_ROOT_MOVE,
        identifier: studyIdentifier(studies[0]?.instances ?? []),
        destination: 'NOWHERE',
      });
      await expect(moves.next()).rejects.toMatchObject({
        code: 'DICOMNET_DIMSE_FAILURE_STATUS',
        status: 0xa801,
      });
    } finally {
      await client.release();
    }
  });

  it('cancels a large C-MOVE left early: the final response is 0xFE00', async () => {
    const events: DimseMessageEvent[] = [];
    const record = (event: unknown): void => void events.push(event as DimseMessageEvent);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    const client = await open();
    try {
      for await (const step of client.move({
        sopClassUid: STUDY_ROOT_MOVE,
        identifier: studyIdentifier(studies[2]?.instances ?? []),
        destination: 'MOVEDEST',
      })) {
        if (step.completed >= 2) break;
      }
      expect((await client.echo()).status).toBe(0);
    } finally {
      await client.release();
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    }
    const final = events.find((event) => event.kind === 'C-MOVE-RSP' && event.status !== 0xff00);
    expect(final?.status).toBe(0xfe00);
  });
});

describe('our C-GET SCU against dcmqrscp', () => {
  it('gets a study back on the same association, every instance byte for byte', async () => {
    const instances = studies[0]?.instances ?? [];
    const folder = path.join(work.path, 'got');
    await mkdir(folder);
    const client = await open();
    try {
      const gets = client.get(
        { sopClassUid: STUDY_ROOT_GET, identifier: studyIdentifier(instances) },
        { store: storeToDirectory(folder) },
      );
      let next = await gets.next();
      while (next.done !== true) next = await gets.next();
      expect(next.value).toMatchObject({ status: 0, completed: instances.length, failed: 0 });
      await expectFolderHolds(folder, instances);
    } finally {
      await client.release();
    }
  });

  it('cancels a large C-GET left early: the final response is 0xFE00', async () => {
    const events: DimseMessageEvent[] = [];
    const record = (event: unknown): void => void events.push(event as DimseMessageEvent);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    let stored = 0;
    const client = await open();
    try {
      for await (const step of client.get(
        { sopClassUid: STUDY_ROOT_GET, identifier: studyIdentifier(studies[2]?.instances ?? []) },
        {
          async store(request) {
            for await (const _chunk of request.dataSet) {
              // read and drop
            }
            stored++;
          },
        },
      )) {
        if (step.completed >= 2) break;
      }
      expect((await client.echo()).status).toBe(0);
    } finally {
      await client.release();
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    }
    const final = events.find((event) => event.kind === 'C-GET-RSP' && event.status !== 0xff00);
    expect(final?.status).toBe(0xfe00);
    expect(stored).toBeLessThan(BIG_STUDY_SIZE);
  });
});

describe('our C-FIND SCU against dcmqrscp', () => {
  it('finds every study with its Patient ID, and nothing else', async () => {
    const client = await open();
    try {
      const found = await collect(client, {
        [LEVEL]: { vr: 'CS', Value: ['STUDY'] },
        [STUDY_UID]: { vr: 'UI' },
        [PATIENT_ID]: { vr: 'LO' },
      });
      const expected = studies.map(({ patientId, instances }) => ({
        studyUid: instances[0]?.studyInstanceUid,
        patientId,
      }));
      const actual = found.map((match) => ({
        studyUid: value(match, STUDY_UID),
        patientId: value(match, PATIENT_ID),
      }));
      expect(actual).toHaveLength(expected.length);
      expect(actual).toEqual(expect.arrayContaining(expected));
    } finally {
      await client.release();
    }
  });

  it('finds the series of a study and the instances of a series', async () => {
    const client = await open();
    try {
      const [study] = studies;
      const instances = study?.instances ?? [];
      const studyUid = instances[0]?.studyInstanceUid ?? '';
      const seriesUid = instances[0]?.seriesInstanceUid ?? '';
      const series = await collect(client, {
        [LEVEL]: { vr: 'CS', Value: ['SERIES'] },
        [STUDY_UID]: { vr: 'UI', Value: [studyUid] },
        [SERIES_UID]: { vr: 'UI' },
      });
      expect(series.map((match) => value(match, SERIES_UID))).toEqual([seriesUid]);
      const images = await collect(client, {
        [LEVEL]: { vr: 'CS', Value: ['IMAGE'] },
        [STUDY_UID]: { vr: 'UI', Value: [studyUid] },
        [SERIES_UID]: { vr: 'UI', Value: [seriesUid] },
        [SOP_INSTANCE_UID]: { vr: 'UI' },
      });
      expect(images.map((match) => value(match, SOP_INSTANCE_UID)).sort()).toEqual(
        instances.map((instance) => instance.sopInstanceUid).sort(),
      );
    } finally {
      await client.release();
    }
  });

  it('cancels a large C-FIND left early, and the association goes on', async () => {
    const big = studies[2]?.instances ?? [];
    const events: DimseMessageEvent[] = [];
    const record = (event: unknown): void => void events.push(event as DimseMessageEvent);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, record);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    const client = await open();
    try {
      let seen = 0;
      for await (const _match of client.find(
        {
          sopClassUid: STUDY_ROOT_FIND,
          identifier: {
            [LEVEL]: { vr: 'CS', Value: ['IMAGE'] },
            [STUDY_UID]: { vr: 'UI', Value: [big[0]?.studyInstanceUid ?? ''] },
            [SERIES_UID]: { vr: 'UI', Value: [big[0]?.seriesInstanceUid ?? ''] },
            [SOP_INSTANCE_UID]: { vr: 'UI' },
          },
        },
        { highWaterMark: 1 },
      )) {
        if (++seen === 3) break;
      }
      expect((await client.echo()).status).toBe(0);
    } finally {
      await client.release();
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, record);
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, record);
    }
    const kinds = events.map((event) => event.kind);
    expect(kinds).toContain('C-CANCEL-RQ');
    const final = events.find(
      (event) => event.kind === 'C-FIND-RSP' && event.status !== 0xff00 && event.status !== 0xff01,
    );
    const matches = events.filter(
      (event) => event.kind === 'C-FIND-RSP' && event.status === 0xff00,
    );
    // dcmqrscp looks for a C-CANCEL between its responses (PS3.4 C.4.1.3.2) and then answers
    // Cancel, 0xFE00. Its 400 small responses fit in the socket buffers, though, so on a busy
    // machine it may have sent them all, and Success, before our C-CANCEL-RQ arrives; either way
    // we waited for that final response (the echo above went through), and read no more matches
    // than it sent. (The C-GET and C-MOVE cancels above, slower per sub-operation, do see 0xFE00.)
    if (final?.status === 0xfe00) expect(matches.length).toBeLessThan(BIG_STUDY_SIZE);
    else expect(final?.status).toBe(0x0000);
  });
});
