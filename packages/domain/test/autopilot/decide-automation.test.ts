import { describe, expect, it } from 'vitest';
import type { TAutomationPolicy, TGateSeverity, TGateVerdict } from '@rampart/contracts';
import { decideAutomation } from '../../src/index.js';
import type { TGateStatus } from '../../src/index.js';
import { T0, at, runningRelease } from '../release/fixtures.js';

const HOUR = 3600;
const everything: TAutomationPolicy = { autoAdvance: true, autoPause: true, autoRollback: true, autoComplete: false };

function gate(key: string, severity: TGateSeverity, verdict: TGateVerdict): TGateStatus {
  return { key, name: `Gate ${key}`, severity, verdict };
}

function decide(overrides: Partial<Parameters<typeof decideAutomation>[0]> = {}) {
  return decideAutomation({
    release: runningRelease(1, T0),
    policy: everything,
    gates: [gate('errors', 'rollback', 'pass'), gate('p95', 'pause', 'pass')],
    breachedThisStage: [],
    now: at(2 * HOUR),
    ...overrides,
  });
}

describe('the autopilot', () => {
  it('rolls back on a failing rollback gate, before anything else', () => {
    const decision = decide({ gates: [gate('errors', 'rollback', 'fail'), gate('p95', 'pause', 'fail')] });
    expect(decision).toEqual({ kind: 'act', action: 'rollback', reason: 'Automatic rollback: Gate errors failing', gates: ['errors'] });
  });

  it('pauses on a failing pause gate, or on a rollback gate when automatic rollback is off', () => {
    expect(decide({ gates: [gate('p95', 'pause', 'fail')] })).toMatchObject({ action: 'pause', gates: ['p95'] });
    expect(decide({ policy: { ...everything, autoRollback: false }, gates: [gate('errors', 'rollback', 'fail')] })).toMatchObject({
      action: 'pause',
    });
    expect(decide({ policy: { autoAdvance: true, autoRollback: false, autoPause: false, autoComplete: false }, gates: [gate('errors', 'rollback', 'fail')] })).toMatchObject({
      kind: 'hold',
    });
  });

  it('never acts on a warning, and never ramps past it', () => {
    expect(decide({ gates: [gate('slo', 'warn', 'warn')] })).toMatchObject({ kind: 'hold' });
  });

  it('ramps after the bake when every gate passed during the whole stage, with auto-advance on', () => {
    expect(decide()).toMatchObject({ kind: 'act', action: 'ramp' });
    expect(decide({ policy: { ...everything, autoAdvance: false } })).toEqual({ kind: 'hold', why: 'auto-advance is off' });
    expect(decide({ breachedThisStage: ['p95'] })).toMatchObject({ kind: 'hold', why: expect.stringContaining('p95') });
    expect(decide({ now: at(60) })).toMatchObject({ kind: 'hold', why: expect.stringContaining('bake time left') });
    expect(decide({ gates: [gate('errors', 'rollback', 'inconclusive')] })).toMatchObject({ kind: 'hold', why: expect.stringContaining('inconclusive') });
  });

  it('rolls back a paused release on a rollback trigger, but neither pauses nor ramps it', () => {
    const paused = runningRelease(1, T0, { state: 'paused' });
    expect(decide({ release: paused, gates: [gate('errors', 'rollback', 'fail')] })).toMatchObject({ kind: 'act', action: 'rollback' });
    expect(decide({ release: paused, gates: [gate('p95', 'pause', 'fail')] })).toMatchObject({ kind: 'hold' });
    expect(decide({ release: paused })).toMatchObject({ kind: 'hold' });
  });

  it('does nothing to a finished or rolling-back release, and never completes one', () => {
    for (const state of ['rolling_back', 'rolled_back', 'completed'] as const) {
      expect(decide({ release: runningRelease(1, T0, { state }), gates: [gate('errors', 'rollback', 'fail')] })).toMatchObject({ kind: 'hold' });
    }
    const last = runningRelease(2, T0);
    expect(decide({ release: last, now: at(10 * HOUR) })).toMatchObject({ kind: 'hold', why: expect.stringContaining('last stage') });
  });
});
