import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec } from '@rampart/contracts';
import { defaultMinSample } from '../../src/judgement/index.js';
import { productionRolloutPlaybook as playbook } from '../../src/playbooks/seeds/production-rollout.js';
import { allItems, bulletsUnder, commonPlaybookTests, expectGate, expectItemsCover, expectStage, itemCandidates, itemOf, stageOf } from './document.js';

/** What docs/seeds/001 says that Rampart's playbook model cannot express (yet). */
const KNOWN_GAPS = [
  '"Deploy new version to 10% of instances": Rampart splits traffic, not instances; 10% of instances is taken as 10% of traffic.',
  '"Zero downtime during deployment": downtime over the whole deployment is not measured (kept as an after-completion item).',
  '"Response times within SLA": the document gives no SLA figure (the 1-second P95 rollback trigger is a gate).',
  '"Confirm on-call support availability": the document names no on-call people; each release names its own contacts.',
];

const doc = readFileSync(new URL('../../../../docs/seeds/001_f87abfcbaa7c1534.md', import.meta.url), 'utf8');
const spec = ZPlaybookSpec.parse(playbook.spec);

describe('seed 001: production-rollout', () => {
  commonPlaybookTests(playbook, doc, KNOWN_GAPS);

  it('deploys to 10% for 15 minutes, then to the remaining instances', () => {
    expect(spec.stages.map((s) => s.key)).toEqual(['canary-10', 'full']);
    expectStage(spec, doc, 'canary-10', 'Deploy new version to 10% of instances\nMonitor error rates for 15 minutes', {
      trafficPercent: 10,
      minBakeSeconds: 900,
    });
    expectStage(spec, doc, 'full', 'Deploy to remaining instances\n### 1. Monitoring (24 hours)', { trafficPercent: 100, minBakeSeconds: 24 * 3600 });
  });

  it('watches the remaining instances for 24 hours, then completes by itself', () => {
    expect(stageOf(spec, 'full').source).toContain('1. Monitoring (24 hours)');
    expect(spec.automation).toEqual({ autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: true });
    // The rollback triggers keep judging the watch: they apply at every stage.
    expect(spec.gates.filter((g) => g.severity === 'rollback').every((g) => g.stages === undefined)).toBe(true);
  });

  it('rolls back on the triggers people report, by kind (the document has no severity scale)', () => {
    expect(spec.incidentScale).toBe('P0-P3');
    expect(spec.incidentResponses.map((r) => [r.kinds, r.severities, r.action])).toEqual([
      [['critical_flow'], undefined, 'rollback'],
      [['security'], undefined, 'rollback'],
      [['data_integrity'], undefined, 'rollback'],
    ]);
    for (const [i, line] of ['Critical business flows failing', 'Security vulnerability detected', 'Data integrity issues observed'].entries()) {
      expect(spec.incidentResponses[i]!.source).toContain(`- ${line}`);
    }
    expect(spec.contacts).toEqual([]);
    expect(spec.windows).toEqual([]);
  });

  it('has the Rollback Process as the rollback procedure, in its order, the conditional steps optional', () => {
    const lines = bulletsUnder(doc, 'Rollback Process').map((l) => l.text);
    const procedure = allItems(spec).filter((i) => i.phase === 'on_rollback');
    expect(procedure.map((i) => i.text)).toEqual(lines);
    expect(procedure.map((i) => i.section)).toEqual([
      ...Array(4).fill('Rollback Process › 1. Immediate Actions'),
      ...Array(3).fill('Rollback Process › 2. Database Rollback'),
      ...Array(3).fill('Rollback Process › 3. Post-Rollback'),
    ]);
    expect(procedure.filter((i) => !i.required).map((i) => i.text)).toEqual(['Stop deployment if in progress', 'Restore from pre-deployment backup if needed']);
    expect(itemOf(spec, 'Scale up previous version').ownerRole).toBe('infrastructure');
  });

  it('names no approvers and no sign-offs', () => {
    expect(spec.approvalsBeforeStart).toEqual([]);
    expect(spec.stages.every((s) => s.signoff.length === 0)).toBe(true);
  });

  it('rolls back on the measurable rollback triggers', () => {
    expect(doc).toContain('Initiate rollback if:');
    expectGate(spec, doc, 'error-rate-above-1pct-5min', 'Error rate exceeds 1% for 5 minutes', {
      kind: 'threshold',
      metric: 'error_rate',
      comparator: 'above',
      value: 0.01,
      sustainSeconds: 300,
      severity: 'rollback',
    });
    expectGate(spec, doc, 'latency-p95-above-1s', 'P95 latency exceeds 1 second', {
      kind: 'threshold',
      metric: 'latency_p95_ms',
      comparator: 'above',
      value: 1000,
      sustainSeconds: 0,
      severity: 'rollback',
    });
    expect(spec.automation.autoRollback).toBe(true);
    // The minimum samples are the engine's, derived from each limit.
    expect(spec.gates.filter((g) => g.minRequests !== undefined).map((g) => g.key)).toEqual([]);
    const derived = (key: string) => defaultMinSample(spec.gates.find((g) => g.key === key) as Extract<TGateSpec, { kind: 'threshold' }>);
    expect(derived('error-rate-above-1pct-5min')).toBe(1000); // 10 errors expected at 1%
    expect(derived('latency-p95-above-1s')).toBe(200); // from a histogram: 10 requests above the P95
  });

  it('judges "No increase in error rates" statistically, without acting', () => {
    expectGate(spec, doc, 'error-rate-no-increase', 'No increase in error rates', {
      kind: 'sequential',
      metric: 'error_rate',
      severity: 'warn',
    });
    expect(spec.gates).toHaveLength(3);
  });

  it('has every checklist line of the document as an item in its section', () => {
    const lines = itemCandidates(doc, {
      'Rollback Triggers': 'gates, or known gaps',
      'Rollback Process': 'the rollback procedure (tested above)',
    });
    expect(lines.length).toBe(52);
    expectItemsCover(spec, lines);
  });

  it('places items in their phase and stage', () => {
    expect(itemOf(spec, 'Take full database backup')).toMatchObject({ phase: 'before_start', ownerRole: 'infrastructure' });
    expect(itemOf(spec, 'Security scans completed')).toMatchObject({ ownerRole: 'security' });
    expect(itemOf(spec, 'Scale down background workers')).toMatchObject({ phase: 'before_start' });
    expect(itemOf(spec, 'Monitor error rates for 15 minutes')).toMatchObject({ phase: 'stage', stageKey: 'canary-10' });
    expect(itemOf(spec, 'Scale up background workers')).toMatchObject({ phase: 'stage', stageKey: 'full' });
    expect(itemOf(spec, 'Zero downtime during deployment')).toMatchObject({ phase: 'after_completion' });
    expect(itemOf(spec, 'Health checks passing')).toMatchObject({ phase: 'stage', stageKey: 'full' });
    expect(itemOf(spec, 'Watch error rates')).toMatchObject({ phase: 'stage', stageKey: 'full' });
    expect(itemOf(spec, 'Schedule deployment retrospective')).toMatchObject({ phase: 'after_completion' });
    expect(itemOf(spec, 'Update runbooks if needed')).toMatchObject({ phase: 'after_completion', required: false });
  });

  it('has Rampart default messages for notifying stakeholders', () => {
    expect(doc).toContain('Notify stakeholders of deployment window');
    expect(spec.messages.map((m) => `${m.key}: ${m.kind}/${m.audience} on ${m.on?.join(',') ?? 'its kind'}`)).toEqual([
      'announcement: announcement/internal on its kind',
      'announcement-external: announcement/external on its kind',
      'progress: progress/internal on its kind',
      'all-instances: complete/internal on full_traffic',
      'complete: complete/internal on its kind',
      'rollback: rollback/internal on its kind',
      'rolled-back-external: rollback/external on rolled_back',
      'incident: incident/internal on its kind',
    ]);
    expect(spec.messages.every((m) => m.title.includes('Rampart default'))).toBe(true);
    expect(spec.messages[0]?.body).toContain('10% of instances for 15 minutes');
    expect(spec.messages.find((m) => m.key === 'all-instances')?.body).toContain('Monitoring for 24 hours, until {{watchEndsAt}}');
    // The status page is public: its texts name the service and nothing internal.
    for (const m of spec.messages.filter((x) => x.audience === 'external')) {
      expect(m.body).not.toMatch(/\{\{(notes|reason|issues|incident|owner|releaseUrl|version)\}\}/);
    }
  });
});
