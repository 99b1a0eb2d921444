import { describe, expect, it } from 'vitest';
import type { DataSet } from '@dicomnet/data';
import { ActionType } from '../message-types.js';
import { Tag } from '../tags.js';
import { INVENTORY_CREATION_SOP_CLASS, STORAGE_MANAGEMENT_SOP_INSTANCE } from '../uids.js';
import { checkTarget } from './check-target.js';
import type { ActionPolicy } from './parse-action.js';
import { parseAction } from './parse-action.js';

const T1 = '1.2.826.0.1.3680043.10.1.1';
const policy: ActionPolicy = {
  levels: ['STUDY', 'SERIES', 'INSTANCE'],
  characterSets: ['ISO_IR 100', 'ISO_IR 192'],
  isMatchable: (tag) => tag !== '00081030',
};
const uid = (value: string) => ({ vr: 'UI', Value: [value] });
const cs = (...values: string[]) => ({ vr: 'CS', Value: values });
const initiate = (extra: DataSet = {}): DataSet => ({
  [Tag.TransactionUID]: uid(T1),
  [Tag.ScopeOfInventorySequence]: { vr: 'SQ', Value: [] },
  [Tag.InventoryLevel]: cs('STUDY'),
  ...extra,
});

describe('checkTarget (PS3.4 KK.2.2.2, PS3.7 Annex C)', () => {
  const good = {
    sopClassUid: INVENTORY_CREATION_SOP_CLASS,
    sopInstanceUid: STORAGE_MANAGEMENT_SOP_INSTANCE,
    actionTypeId: 11,
  };
  it('accepts the well-known instance with action types 11 to 15', () => {
    for (const actionTypeId of [11, 12, 13, 14, 15])
      expect(checkTarget({ ...good, actionTypeId })).toBeUndefined();
  });
  it('answers each wrong target with its status', () => {
    expect(checkTarget({ ...good, sopClassUid: '1.2.840.10008.1.20.1' })?.status).toBe(0x0118);
    expect(checkTarget({ ...good, sopInstanceUid: '1.02.3' })?.status).toBe(0x0117);
    expect(checkTarget({ ...good, sopInstanceUid: '1.2.840.10008.1.20.1.1' })?.status).toBe(0x0119);
    expect(checkTarget({ ...good, sopInstanceUid: '1.2.3.4' })?.status).toBe(0x0112);
    expect(checkTarget({ ...good, actionTypeId: 16 })?.status).toBe(0x0123);
    expect(checkTarget({ ...good, actionTypeId: 1 })?.status).toBe(0x0123);
  });
});

describe('parseAction (PS3.4 Table KK.2-1, 5.4.2.1, KK.2.2.3)', () => {
  it('reads an Initiate with its level, scope, purpose and interval', () => {
    const parsed = parseAction(
      ActionType.Initiate,
      initiate({
        [Tag.ScopeOfInventorySequence]: {
          vr: 'SQ',
          Value: [{ '00080061': cs('CT'), '00081030': { vr: 'LO', Value: ['x*'] } }],
        },
        [Tag.InventoryPurpose]: { vr: 'LT', Value: ['audit'] },
        [Tag.RequestedStatusInterval]: { vr: 'US', Value: [5] },
      }),
      policy,
    );
    expect('action' in parsed && parsed.action).toMatchObject({
      kind: 'initiate',
      transactionUid: T1,
      level: 'STUDY',
      purpose: 'audit',
      statusInterval: 5,
      ignoredKeys: [0x00081030],
    });
  });

  it('refuses an argument the action does not define with 0114H', () => {
    const parsed = parseAction(
      ActionType.Pause,
      { [Tag.TransactionUID]: uid(T1), [Tag.RetainInstances]: cs('YES') },
      policy,
    );
    expect(parsed).toEqual({ refusal: { status: 0x0114 } });
  });

  it('lists every missing mandatory argument with 0120H, Scope of Inventory included', () => {
    const parsed = parseAction(ActionType.Initiate, { [Tag.InventoryLevel]: cs('STUDY') }, policy);
    expect(parsed).toEqual({
      refusal: { status: 0x0120, attributeIdentifierList: [0x00081195, 0x00080400] },
    });
    expect(parseAction(ActionType.Cancel, { [Tag.TransactionUID]: uid(T1) }, policy)).toEqual({
      refusal: { status: 0x0120, attributeIdentifierList: [0x00080415] },
    });
  });

  it('answers an empty 1/1 or 3/1 argument 0121H, but takes an empty Scope of Inventory', () => {
    expect(
      parseAction(
        ActionType.Cancel,
        { [Tag.TransactionUID]: uid(T1), [Tag.RetainInstances]: { vr: 'CS' } },
        policy,
      ),
    ).toEqual({ refusal: { status: 0x0121 } });
    expect(
      parseAction(ActionType.Initiate, initiate({ [Tag.InventoryPurpose]: { vr: 'LT' } }), policy),
    ).toEqual({ refusal: { status: 0x0121 } });
    expect('action' in parseAction(ActionType.Initiate, initiate(), policy)).toBe(true);
  });

  it('answers bad values 0115H and echoes them', () => {
    const maybe = parseAction(
      ActionType.Cancel,
      { [Tag.TransactionUID]: uid(T1), [Tag.RetainInstances]: cs('MAYBE') },
      policy,
    );
    expect(maybe).toEqual({
      refusal: { status: 0x0115, dataSet: { [Tag.RetainInstances]: cs('MAYBE') } },
    });
    const badUid = parseAction(ActionType.Pause, { [Tag.TransactionUID]: uid('1.02') }, policy);
    expect('refusal' in badUid && badUid.refusal.status).toBe(0x0115);
    const twoItems = parseAction(
      ActionType.Initiate,
      initiate({ [Tag.ScopeOfInventorySequence]: { vr: 'SQ', Value: [{}, {}] } }),
      policy,
    );
    expect('refusal' in twoItems && twoItems.refusal.status).toBe(0x0115);
  });

  it('answers an unsupported level, character set or mechanism 0212H with an Error Comment', () => {
    const level = parseAction(
      ActionType.Initiate,
      initiate({ [Tag.InventoryLevel]: cs('PATIENT') }),
      policy,
    );
    expect('refusal' in level && level.refusal).toMatchObject({ status: 0x0212 });
    const narrow = parseAction(
      ActionType.Initiate,
      initiate({ [Tag.InventoryLevel]: cs('INSTANCE') }),
      {
        ...policy,
        levels: ['STUDY'],
      },
    );
    expect('refusal' in narrow && narrow.refusal.status).toBe(0x0212);
    const charset = parseAction(
      ActionType.Initiate,
      initiate({
        [Tag.ScopeOfInventorySequence]: {
          vr: 'SQ',
          Value: [{ [Tag.SpecificCharacterSet]: cs('ISO_IR 999') }],
        },
      }),
      policy,
    );
    expect('refusal' in charset && charset.refusal).toMatchObject({
      status: 0x0212,
      errorComment: 'Specific Character Set ISO_IR 999',
    });
    const mechanism = parseAction(
      ActionType.Initiate,
      initiate({
        [Tag.ScopeOfInventorySequence]: {
          vr: 'SQ',
          Value: [{ [Tag.ExtendedMatchingMechanisms]: cs('TIMEZONE_ADJUST') }],
        },
      }),
      policy,
    );
    expect('refusal' in mechanism && mechanism.refusal.status).toBe(0x0212);
  });
});
