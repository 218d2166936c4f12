import type { TStatusPage } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { rollupOf } from '../src/lib/status-rollup';

type Row = TStatusPage['active'][number];
const row = (state: Row['state'], health: Row['health'], incidents: Row['incidents'] = []): Row => ({
  id: crypto.randomUUID(),
  service: 'checkout',
  version: '1.2.3',
  state,
  stage: 'Canary 10%',
  percent: 10,
  health,
  updatedAt: '2026-11-29T12:00:00.000Z',
  message: null,
  incidents,
});

describe("the status page's banner", () => {
  it('never says healthy while a card says unknown', () => {
    const rollup = rollupOf([row('running', 'healthy'), row('running', 'unknown')]);
    expect(rollup.kind).toBe('unknown');
    expect(rollup.text).not.toMatch(/healthy/);
    expect(rollup.text).toBe('Rolling out: the health of a release in progress is not known yet (no evidence)');
    expect(rollupOf([row('paused', 'unknown'), row('running', 'unknown')]).text).toContain('2 releases in progress');
  });

  it('says healthy only when every card does', () => {
    expect(rollupOf([row('running', 'healthy')])).toMatchObject({ kind: 'rolling_out', text: 'Rolling out: a release is in progress and healthy' });
    expect(rollupOf([row('running', 'healthy'), row('paused', 'healthy')]).text).toBe('Rolling out: 2 releases are in progress and healthy');
  });

  it('puts trouble first: rolling back, then degraded', () => {
    expect(rollupOf([row('running', 'unknown'), row('rolling_back', 'degraded')]).kind).toBe('rolling_back');
    expect(rollupOf([row('running', 'unknown'), row('running', 'degraded')]).kind).toBe('degraded');
    expect(rollupOf([])).toMatchObject({ kind: 'all_good', text: 'All good: no release is causing trouble' });
  });

  it('counts an open incident on any card, finished releases included, as the server does', () => {
    const incident = (status: Row['incidents'][number]['status']) => ({ severity: null, status, startedAt: '2026-11-29T12:00:00.000Z', note: 'Investigating an issue' });
    const rolledBack = row('rolled_back', 'degraded', [incident('open')]);
    expect(rollupOf([row('running', 'healthy')], [rolledBack])).toMatchObject({ kind: 'degraded', text: 'Incident open: a release has an open incident' });
    expect(rollupOf([row('rolling_back', 'degraded', [incident('open')])]).kind).toBe('rolling_back');
    expect(rollupOf([], [row('rolled_back', 'degraded', [incident('resolved')])]).kind).toBe('all_good');
  });
});
