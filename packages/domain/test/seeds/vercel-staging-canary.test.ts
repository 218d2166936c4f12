import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec } from '@rampart/contracts';
import { defaultMinSample } from '../../src/judgement/index.js';
import { vercelStagingCanaryPlaybook as playbook } from '../../src/playbooks/seeds/vercel-staging-canary.js';
import { allItems, bulletsUnder, commonPlaybookTests, expectGate, expectItemsCover, expectStage, itemCandidates, itemOf } from './document.js';

/** What docs/seeds/002 says that Rampart's playbook model cannot express (yet). */
const KNOWN_GAPS = [
  '"Database errors (critical)": no threshold, and database errors are not a metric Rampart receives (kept as an alert item).',
  '"Redis connectivity issues (critical)": no threshold, and Redis connectivity is not a metric Rampart receives (kept as an alert item).',
  '"Response time exceeds 2x baseline": the document does not say which statistic; Rampart judges P95 latency.',
  '"[Name, Phone, Email]": the document leaves the people blank; the contacts are its roles until a release names them.',
  '"Customer notifications (if needed)": Rampart posts to its status page, not to customers (kept as an optional item).',
];

const doc = readFileSync(new URL('../../../../docs/seeds/002_a2936117574c995a.md', import.meta.url), 'utf8');
const spec = ZPlaybookSpec.parse(playbook.spec);

describe('seed 002: vercel-staging-canary', () => {
  commonPlaybookTests(playbook, doc, KNOWN_GAPS);

  it('ramps 10% → 25% → 50% → 75% → 100% with the monitoring times of the Gradual Rollout', () => {
    expect(spec.stages.map((s) => s.key)).toEqual(['canary-10', 'ramp-25', 'ramp-50', 'ramp-75', 'full']);
    expectStage(spec, doc, 'canary-10', '1. Canary Deployment (10% traffic)', { trafficPercent: 10, minBakeSeconds: 0 });
    expectStage(spec, doc, 'ramp-25', 'Increase traffic to 25%\nMonitor for 15 minutes', {
      trafficPercent: 25,
      minBakeSeconds: 900,
    });
    expectStage(spec, doc, 'ramp-50', 'Increase traffic to 50%\nMonitor for 30 minutes', {
      trafficPercent: 50,
      minBakeSeconds: 1800,
    });
    expectStage(spec, doc, 'ramp-75', 'Increase traffic to 75%\nMonitor for 1 hour', {
      trafficPercent: 75,
      minBakeSeconds: 3600,
    });
    expectStage(spec, doc, 'full', 'Increase traffic to 100%', { trafficPercent: 100, minBakeSeconds: 0 });
  });

  it('names no approvers and no sign-offs', () => {
    expect(spec.approvalsBeforeStart).toEqual([]);
    expect(spec.stages.every((s) => s.signoff.length === 0)).toBe(true);
  });

  it('rolls back on the measurable trigger conditions', () => {
    expectGate(spec, doc, 'error-rate-above-5pct', 'Error rate exceeds 5%', {
      kind: 'threshold',
      metric: 'error_rate',
      comparator: 'above',
      value: 0.05,
      sustainSeconds: 0,
      severity: 'rollback',
    });
    expectGate(spec, doc, 'error-rate-above-5pct', 'Error rate > 5% (critical)', { value: 0.05 });
    expectGate(spec, doc, 'response-time-2x-baseline', 'Response time exceeds 2x baseline', {
      kind: 'baseline_ratio',
      metric: 'latency_p95_ms',
      worseWhen: 'higher',
      maxRatio: 2,
      sustainSeconds: 0,
      severity: 'rollback',
    });
    expect(spec.automation).toEqual({ autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false });
  });

  it('rolls back on the trigger conditions people report, by kind, paging the emergency contacts', () => {
    expect(spec.incidentScale).toBe('P0-P3');
    expect(spec.incidentResponses.map((r) => [r.kinds, r.severities, r.action, r.page])).toEqual([
      [['critical_flow'], undefined, 'rollback', true],
      [['data_integrity'], undefined, 'rollback', true],
      [['security'], undefined, 'rollback', true],
    ]);
    const triggers = bulletsUnder(doc, 'Trigger Conditions', ['checkbox']).map((l) => l.text);
    expect(triggers.slice(2)).toEqual(['Critical functionality broken', 'Data integrity issues detected', 'Security vulnerabilities discovered']);
    triggers.slice(2).forEach((line, i) => expect(spec.incidentResponses[i]!.source).toContain(`- [ ] ${line}`));
  });

  it('names the emergency contacts by role, the primary ones on call in the document\'s order', () => {
    expect(spec.contacts.map((c) => [c.role, c.name, c.onCall])).toEqual([
      ['Deployment Lead', 'Deployment lead (to be named)', true],
      ['Operations Lead', 'Operations lead (to be named)', true],
      ['Security Lead', 'Security lead (to be named)', true],
      ['Vercel Support', 'Vercel Support (contact to be added)', false],
      ['Database Provider', 'Database provider (contact to be added)', false],
      ['Third-party Services', 'Third-party services (contacts to be added)', false],
    ]);
    for (const c of spec.contacts) expect(doc).toContain(`**${c.role}**`);
    expect(spec.windows).toEqual([]);
  });

  it('has Rollback Steps and Rollback Verification as the rollback procedure', () => {
    const procedure = allItems(spec).filter((i) => i.phase === 'on_rollback');
    expect(procedure.map((i) => `${i.section}: ${i.text}`)).toEqual([
      ...bulletsUnder(doc, 'Rollback Steps', ['checkbox']).map((l) => `Rollback Steps: ${l.text}`),
      ...bulletsUnder(doc, 'Rollback Verification', ['checkbox']).map((l) => `Rollback Verification: ${l.text}`),
    ]);
    expect(procedure).toHaveLength(11);
    expect(procedure.every((i) => i.required)).toBe(true);
    expect(itemOf(spec, 'Execute rollback script').ownerRole).toBe('infrastructure');
  });

  it('leaves minimum samples to the engine, which derives them from each limit', () => {
    expect(spec.gates.filter((g) => g.minRequests !== undefined).map((g) => g.key)).toEqual([]);
    const derived = (key: string) => defaultMinSample(spec.gates.find((g) => g.key === key) as Extract<TGateSpec, { kind: 'threshold' }>);
    expect(derived('error-rate-above-5pct')).toBe(200); // 10 errors expected at 5%
    expect(derived('error-rate-above-1pct')).toBe(1000); // 10 errors expected at 1%
    expect(derived('response-time-above-500ms')).toBe(200); // from a histogram: 10 requests above the P95
    expect(derived('response-time-2x-baseline')).toBe(200);
  });

  it('encodes the alerting thresholds: warning → warn, critical → pause', () => {
    expectGate(spec, doc, 'error-rate-above-1pct', 'Error rate > 1% (warning)', {
      kind: 'threshold',
      metric: 'error_rate',
      value: 0.01,
      severity: 'warn',
    });
    expectGate(spec, doc, 'response-time-above-200ms', 'Response time > 200ms (warning)', {
      kind: 'threshold',
      metric: 'latency_p95_ms',
      comparator: 'above',
      value: 200,
      severity: 'warn',
    });
    expectGate(spec, doc, 'response-time-above-500ms', 'Response time > 500ms (critical)', {
      kind: 'threshold',
      metric: 'latency_p95_ms',
      comparator: 'above',
      value: 500,
      severity: 'pause',
    });
    expect(spec.gates).toHaveLength(5);
  });

  it('has every checklist line of the document as an item in its section', () => {
    const lines = itemCandidates(doc, {
      'Trigger Conditions': 'gates, or known gaps',
      'Primary Contacts': 'contacts',
      'Vendor Contacts': 'contacts',
    });
    expect(lines.length).toBe(91);
    expectItemsCover(spec, lines);
  });

  it('places items in their phase and stage', () => {
    expect(itemOf(spec, 'Security audit completed')).toMatchObject({ phase: 'before_start', ownerRole: 'security' });
    expect(itemOf(spec, 'Deploy to canary environment')).toMatchObject({ phase: 'stage', stageKey: 'canary-10' });
    expect(itemOf(spec, 'Monitor for 1 hour')).toMatchObject({ stageKey: 'ramp-75' });
    expect(itemOf(spec, 'Promote canary to production')).toMatchObject({ stageKey: 'full' });
    expect(itemOf(spec, 'Error rates below threshold')).toMatchObject({ phase: 'after_completion' });
    expect(itemOf(spec, 'Customer notifications (if needed)')).toMatchObject({ required: false });
    expect(itemOf(spec, 'Update runbooks if needed')).toMatchObject({ required: false });
  });

  it('has Rampart default messages for communicating status to stakeholders', () => {
    expect(doc).toContain('Communicate status to stakeholders');
    expect(spec.messages.map((m) => `${m.kind}/${m.audience}`)).toEqual([
      'announcement/internal',
      'announcement/external',
      'progress/internal',
      'complete/internal',
      'complete/external',
      'rollback/internal',
      'rollback/external',
      'incident/internal',
    ]);
    expect(spec.messages.every((m) => m.title.includes('Rampart default'))).toBe(true);
    expect(spec.messages.every((m) => m.on === undefined), 'each at the moment of its kind').toBe(true);
    expect(doc).toContain('Status page updates');
    for (const m of spec.messages.filter((x) => x.audience === 'external')) {
      expect(m.body).not.toMatch(/\{\{(notes|reason|issues|incident|owner|releaseUrl|version)\}\}/);
    }
  });
});
