import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import type { DataSet } from '@dicomnet/data';
import { parseInventoryScope } from '../match/index.js';
import type { WalkedRecord, WalkOptions } from './walk-index.js';
import { makeQrFixture, type QrFixture } from '../../test/helpers/qr-fixture.js';

let dir: { path: string; remove(): Promise<void> };
let fixture: QrFixture;

beforeAll(async () => {
  dir = await tempDir('repository-walk-');
  fixture = await makeQrFixture(dir.path);
}, 60_000);

afterAll(async () => {
  await fixture?.repository.close();
  await dir?.remove();
});

async function walk(scope: DataSet | undefined, options: WalkOptions): Promise<WalkedRecord[]> {
  const records: WalkedRecord[] = [];
  for await (const record of fixture.repository.walk(parseInventoryScope(scope), options))
    records.push(record);
  return records;
}

const uidOf = (record: WalkedRecord): string =>
  String(
    record.attributes[
      record.level === 'STUDY' ? '0020000D' : record.level === 'SERIES' ? '0020000E' : '00080018'
    ]?.[0],
  );

const outline = (records: readonly WalkedRecord[]): string[] =>
  records.map((record) => `${record.level}:${uidOf(record)}`);

/** What the fixture holds, depth first in UID order, as the walk should list it. */
function expected(
  depth: 'STUDY' | 'SERIES' | 'IMAGE',
  keep: (instance: QrFixture['instances'][number]) => boolean = () => true,
): string[] {
  const tree = new Map<string, Map<string, string[]>>();
  for (const instance of fixture.instances.filter(keep)) {
    const series = tree.get(instance.studyInstanceUid) ?? new Map<string, string[]>();
    tree.set(instance.studyInstanceUid, series);
    const list = series.get(instance.seriesInstanceUid) ?? [];
    series.set(instance.seriesInstanceUid, list);
    list.push(instance.sopInstanceUid);
  }
  const out: string[] = [];
  for (const study of [...tree.keys()].sort()) {
    out.push(`STUDY:${study}`);
    if (depth === 'STUDY') continue;
    const seriesMap = tree.get(study)!;
    for (const series of [...seriesMap.keys()].sort()) {
      out.push(`SERIES:${series}`);
      if (depth === 'IMAGE')
        out.push(
          ...seriesMap
            .get(series)!
            .sort()
            .map((uid) => `IMAGE:${uid}`),
        );
    }
  }
  return out;
}

describe('FileRepository.walk', () => {
  for (const depth of ['STUDY', 'SERIES', 'IMAGE'] as const) {
    it(`lists every study down to ${depth}, depth first in UID order`, async () => {
      expect(outline(await walk(undefined, { depth }))).toEqual(expected(depth));
    });
  }

  it('gives the index attributes of each level, the file of each instance, the study update time', async () => {
    const records = await walk(undefined, { depth: 'IMAGE' });
    const study = records.find(
      (record) => record.level === 'STUDY' && uidOf(record) === fixture.studyUids[0],
    )!;
    expect(study.attributes['00100020']).toEqual(['PID-A']);
    expect(study.attributes['00080020']).toEqual(['20191215']);
    expect(study.attributes['00080061']).toEqual(['CT', 'MR']);
    expect(study.attributes['00201208']).toEqual(['3']);
    expect(study.attributes['00080405']).toEqual(['NO']);
    expect(study.attributes['0008041F']?.[0]).toMatch(/^\d{14}\.\d{6}\+0000$/);
    expect(study.cursor).toBeTypeOf('string');
    const series = records.find((record) => record.level === 'SERIES')!;
    expect(series.attributes['00080060']).toBeDefined();
    expect(series.attributes['00100020']).toBeUndefined(); // own level only
    const instances = records.filter((record) => record.level === 'IMAGE');
    expect(instances).toHaveLength(fixture.instances.length);
    for (const instance of instances) {
      expect(instance.attributes['00080016']).toEqual(['1.2.840.10008.5.1.4.1.1.7']);
      expect(instance.attributes['00083002']).toEqual(['1.2.840.10008.1.2.1']);
      expect(existsSync(instance.path!)).toBe(true);
    }
  });

  it('resumes after a study cursor, also with pages of one study', async () => {
    const whole = await walk(undefined, { depth: 'IMAGE', pageSize: 1 });
    expect(outline(whole)).toEqual(expected('IMAGE'));
    const studies = whole.filter((record) => record.level === 'STUDY');
    const second = whole.indexOf(studies[2]!);
    const rest = await walk(undefined, { depth: 'IMAGE', after: studies[1]!.cursor! });
    expect(outline(rest)).toEqual(outline(whole.slice(second)));
  });

  it('matches studies on patient and study keys', async () => {
    const scope: DataSet = { '00100020': { vr: 'LO', Value: ['PID-A'] } };
    const keep = (instance: QrFixture['instances'][number]): boolean =>
      instance.study.patientId === 'PID-A';
    expect(outline(await walk(scope, { depth: 'IMAGE' }))).toEqual(expected('IMAGE', keep));
  });

  it('with RELATIONAL at SERIES, lists only the matching series and their instances', async () => {
    const scope: DataSet = {
      '0008040F': { vr: 'CS', Value: ['RELATIONAL'] },
      '00080052': { vr: 'CS', Value: ['SERIES'] },
      '00080060': { vr: 'CS', Value: ['CT'] },
    };
    const keep = (instance: QrFixture['instances'][number]): boolean => instance.modality === 'CT';
    expect(outline(await walk(scope, { depth: 'IMAGE' }))).toEqual(expected('IMAGE', keep));
    expect(outline(await walk(scope, { depth: 'STUDY' }))).toEqual(expected('STUDY', keep));
  });

  it('with RELATIONAL at IMAGE, lists only the matching instances and what leads to them', async () => {
    const wanted = [fixture.instances[0]!.sopInstanceUid, fixture.instances[4]!.sopInstanceUid];
    const scope: DataSet = {
      '0008040F': { vr: 'CS', Value: ['RELATIONAL'] },
      '00080052': { vr: 'CS', Value: ['IMAGE'] },
      '00080018': { vr: 'UI', Value: wanted },
    };
    const keep = (instance: QrFixture['instances'][number]): boolean =>
      wanted.includes(instance.sopInstanceUid);
    expect(outline(await walk(scope, { depth: 'IMAGE' }))).toEqual(expected('IMAGE', keep));
    expect(outline(await walk(scope, { depth: 'SERIES' }))).toEqual(expected('SERIES', keep));
  });

  it('leaves out what was Removed from Operational Use unless asked, then marks it', async () => {
    const removed = fixture.studyUids[1]!;
    await fixture.repository.markRemoved('STUDY', removed);
    try {
      const live = outline(await walk(undefined, { depth: 'STUDY' }));
      expect(live).not.toContain(`STUDY:${removed}`);
      const all = await walk(undefined, { depth: 'IMAGE', includeRemoved: true });
      expect(outline(all)).toEqual(expected('IMAGE'));
      const study = all.find((record) => uidOf(record) === removed)!;
      expect(study.attributes['00080405']).toEqual(['YES']);
    } finally {
      await fixture.repository.markRemoved('STUDY', removed, false);
    }
  });

  it('stops with the signal reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const seen: WalkedRecord[] = [];
    await expect(
      (async () => {
        for await (const record of fixture.repository.walk(parseInventoryScope(undefined), {
          depth: 'IMAGE',
          signal: controller.signal,
        })) {
          seen.push(record);
          controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen).toHaveLength(1);
  });
});
