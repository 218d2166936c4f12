// The autopilot after 100%: completing when the playbook says so once the watch is over, and standing
// still during a freeze (stopping harm goes on).
import { describe, expect, it } from 'vitest';
import type { TAutomationPolicy, TGateSeverity, TGateVerdict } from '@rampart/contracts';
import type { TAutomationInput, TGateStatus } from '../../src/index.js';
import { decideAutomation } from '../../src/index.js';
import { HOUR, T0, at, runningRelease } from '../release/fixtures.js';

const POLICY: TAutomationPolicy = { autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: true };
const FREEZE = { reason: 'Incident review', declaredBy: 'admin@rampart.test', declaredAt: T0 };

function gate(key: string, severity: TGateSeverity, verdict: TGateVerdict): TGateStatus {
  return { key, name: `Gate ${key}`, severity, verdict };
}

/** At the last stage (Full, 1 h watch), entered two hours ago. */
function decide(overrides: Partial<TAutomationInput> = {}) {
  return decideAutomation({ release: runningRelease(2, at(-2 * HOUR)), policy: POLICY, gates: [gate('errors', 'rollback', 'pass')], breachedThisStage: [], now: T0, ...overrides });
}

describe('automatic completion', () => {
  it('completes once the watch is over and every gate passes', () => {
    expect(decide()).toEqual({
      kind: 'act',
      action: 'complete',
      reason: 'Automatic completion: the watch at Full is over and every gate passed',
      gates: ['errors'],
    });
  });

  it('waits for the watch, a passing verdict, and a watch without breaches', () => {
    expect(decide({ release: runningRelease(2, at(-HOUR / 2)) })).toMatchObject({ kind: 'hold', why: '30m of the watch left at Full' });
    expect(decide({ gates: [gate('errors', 'rollback', 'inconclusive')] })).toMatchObject({ kind: 'hold', why: expect.stringContaining('inconclusive') });
    expect(decide({ breachedThisStage: ['errors'] })).toMatchObject({ kind: 'hold', why: expect.stringContaining('during the watch') });
    expect(decide({ release: runningRelease(2, at(-2 * HOUR), { incidents: [{ id: 'i', title: 'Refunds stuck', severity: 'P2', kind: 'incident', action: 'hold' }] }) })).toMatchObject({
      kind: 'hold',
      why: 'Open incident (P2): Refunds stuck',
    });
  });

  it('leaves completion to a person unless the playbook says otherwise', () => {
    expect(decide({ policy: { ...POLICY, autoComplete: false } })).toEqual({ kind: 'hold', why: 'at the last stage; completing is left to a person' });
  });

  it('still rolls back during the watch', () => {
    expect(decide({ gates: [gate('errors', 'rollback', 'fail')] })).toMatchObject({ kind: 'act', action: 'rollback' });
  });
});

describe('during a freeze', () => {
  it('neither ramps nor completes by itself, but still rolls back and pauses', () => {
    const frozen = runningRelease(2, at(-2 * HOUR), { freeze: FREEZE });
    expect(decide({ release: frozen })).toMatchObject({ kind: 'hold', why: expect.stringContaining('freeze') });
    const canary = runningRelease(1, at(-2 * HOUR), { freeze: FREEZE });
    expect(decide({ release: canary, policy: { ...POLICY, autoAdvance: true } })).toMatchObject({ kind: 'hold', why: expect.stringContaining('Incident review') });
    expect(decide({ release: canary, gates: [gate('errors', 'rollback', 'fail')] })).toMatchObject({ kind: 'act', action: 'rollback' });
    expect(decide({ release: canary, gates: [gate('p95', 'pause', 'fail')] })).toMatchObject({ kind: 'act', action: 'pause' });
  });
});
