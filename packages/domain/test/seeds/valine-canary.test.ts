import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec } from '@rampart/contracts';
import { defaultMinSample } from '../../src/judgement/index.js';
import { valineCanaryPlaybook as playbook } from '../../src/playbooks/seeds/valine-canary.js';
import {
  allItems,
  bulletsUnder,
  codeBlockAfter,
  commonPlaybookTests,
  expectGate,
  expectItemsCover,
  expectStage,
  expectTemplate,
  gateOf,
  itemCandidates,
  itemOf,
} from './document.js';

/** What docs/seeds/004 says that Rampart's playbook model cannot express (yet). */
const KNOWN_GAPS = [
  '"Any critical issue or error rate >2%": "any critical issue" is a person\'s call; the 2% half is a gate.',
  '"Any concerning trend or pattern": stage 3 has no measurable rollback rule; a person decides.',
  '"latency increase >20%": the document does not say which latency; Rampart compares P95 with the stable version.',
  '"Sentry shows no new P1 issues": Sentry issues are not a metric Rampart receives.',
  '"No complaints in support channels": user reports are not a metric Rampart receives.',
  '"query performance normal": no threshold given.',
  '"CPU/Memory utilization normal": no threshold given, and resource usage is not a metric Rampart receives.',
  '"Cost within expected range (check AWS billing)": cost is not a metric Rampart receives.',
  '"User signups (no drop-off)": like content uploads and messages sent, a volume with no threshold; counts are not comparable between cohorts of different size.',
  '"Data corruption/loss": P1/P2 criteria that are not measured (outage, exploited vulnerability, database unavailable, complaints) are reported by people as a P1 or P2 incident and act as the level says; data corruption and a broken feature also as problems of their kind.',
  '"Capture baseline metrics from current production:": the captured values have no field; Rampart measures the baseline cohort live instead.',
  '"before holidays": no holiday calendar; an admin\'s change freeze stops every start and ramp instead.',
  '"Deploy during low-traffic hours (avoid peak times)": the document gives no hours; the window is Monday to Thursday, all day, and the hours are a before-start item.',
  '"We\'ll be deploying new features on November 5, 2025 at 14:00-16:00 UTC.": releases are not scheduled ahead; the text goes out at the start, from {{startedAt}}.',
  '"**Duration**: ~2 hours (canary deployment)": no variable for the planned duration; kept as the document\'s fixed text.',
  '"**Primary**: Listed in PagerDuty": PagerDuty holds the names; the contacts are the roles until a release names the people.',
  '"**Escalation**: Engineering Manager": no time before escalating is given; the engine\'s default (15 minutes) applies.',
];

const doc = readFileSync(new URL('../../../../docs/seeds/004_1fa73fa06f96720e.md', import.meta.url), 'utf8');
const spec = ZPlaybookSpec.parse(playbook.spec);

/** [gate key, the document line, expected values] */
const GATES: [string, string, Record<string, unknown>][] = [
  ['error-rate-below-1pct', '**Error rate normal**: <1% in canary group', { kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01, severity: 'warn' }],
  ['error-rate-below-1pct', 'Error rate remains <1%', { metric: 'error_rate' }],
  ['latency-p95-below-2s', '**Latency acceptable**: p95 <2s, p99 <5s', { metric: 'latency_p95_ms', value: 2000, severity: 'warn' }],
  ['latency-p95-below-2s', 'Latency (p95 >2s triggers P3, >5s triggers P2)', { severity: 'warn' }],
  ['latency-p99-below-5s', '**Latency acceptable**: p95 <2s, p99 <5s', { metric: 'latency_p99_ms', value: 5000, severity: 'warn', stages: ['canary-5'] }],
  ['health-checks-pass', '**Health checks pass**: `/health` endpoint returns 200', { kind: 'consecutive_failures', metric: 'health_ok', failures: 1, severity: 'warn' }],
  ['db-pool-below-50pct', 'Connection pool <50%', { metric: 'db_connection_pool_usage', comparator: 'above', value: 0.5, severity: 'warn', stages: ['canary-5'] }],
  ['login-success-above-95pct', 'Login success rate (>95%)', { metric: 'login_success_rate', comparator: 'below', value: 0.95, severity: 'warn', stages: ['canary-50'] }],
  ['error-rate-sequential', 'Error rate (canary vs stable)', { kind: 'sequential', metric: 'error_rate', severity: 'pause' }],
  ['stage1-rollback-error-rate-2pct', '🛑 **ROLLBACK**: Any critical issue or error rate >2%', { kind: 'threshold', metric: 'error_rate', value: 0.02, sustainSeconds: 0, severity: 'rollback', stages: ['canary-5'] }],
  ['stage2-rollback-error-rate-1-5pct', '🛑 **ROLLBACK**: Error rate >1.5%, latency increase >20%', { metric: 'error_rate', value: 0.015, severity: 'rollback', stages: ['canary-25'] }],
  ['stage2-rollback-latency-increase-20pct', '🛑 **ROLLBACK**: Error rate >1.5%, latency increase >20%', { kind: 'baseline_delta', metric: 'latency_p95_ms', maxRelativeChange: 0.2, severity: 'rollback', stages: ['canary-25'] }],
  ['p1-error-rate-5pct', '- Error rate >5%', { metric: 'error_rate', value: 0.05, severity: 'rollback' }],
  ['p1-error-rate-5pct', 'Error rate (>2% triggers P2, >5% triggers P1)', { value: 0.05 }],
  ['p1-availability-below-99-9pct', 'Availability (<99.9% triggers P1)', { metric: 'availability', comparator: 'below', value: 0.999, severity: 'rollback' }],
  ['p2-error-rate-2pct', '- Error rate 2-5%', { metric: 'error_rate', value: 0.02, severity: 'pause' }],
  ['p2-error-rate-2pct', 'Error rate (>2% triggers P2, >5% triggers P1)', { value: 0.02 }],
  ['p2-latency-increase-50pct', 'Significant performance degradation (>50% latency increase)', { kind: 'baseline_delta', metric: 'latency_p95_ms', maxRelativeChange: 0.5, severity: 'pause' }],
  ['p2-latency-p95-5s', 'Latency (p95 >2s triggers P3, >5s triggers P2)', { metric: 'latency_p95_ms', value: 5000, severity: 'pause' }],
  ['p2-db-connections-80pct', 'Database connections (>80% pool triggers P2)', { metric: 'db_connection_pool_usage', value: 0.8, severity: 'pause' }],
];

describe('seed 004: valine-canary', () => {
  commonPlaybookTests(playbook, doc, KNOWN_GAPS);

  it('follows the canary strategy 5% → 25% → 50% → 100%', () => {
    expect(spec.stages.map((s) => s.key)).toEqual(['canary-5', 'canary-25', 'canary-50', 'full']);
    expectStage(spec, doc, 'canary-5', 'Stage 1: 5% traffic (30 min)\n### Stage 1: 5% Canary (30 minutes)', {
      trafficPercent: 5,
      minBakeSeconds: 1800,
    });
    expectStage(spec, doc, 'canary-25', 'Stage 2: 25% traffic (1 hour)\n### Stage 2: 25% Canary (1 hour)', {
      trafficPercent: 25,
      minBakeSeconds: 3600,
    });
    expectStage(spec, doc, 'canary-50', 'Stage 3: 50% traffic (1 hour)\n### Stage 3: 50% Canary (1 hour)', {
      trafficPercent: 50,
      minBakeSeconds: 3600,
    });
    expectStage(spec, doc, 'full', 'Stage 4: 100% traffic (full rollout)\n- [ ] Monitor for 2 hours before signing off', {
      trafficPercent: 100,
      minBakeSeconds: 7200,
    });
  });

  it('has no approvals: code review by 2 engineers is a checklist item, go/no-go names no roles', () => {
    expect(spec.approvalsBeforeStart).toEqual([]);
    expect(spec.stages.every((s) => s.signoff.length === 0)).toBe(true);
    expect(itemOf(spec, 'All pull requests reviewed and approved by at least 2 engineers')).toMatchObject({
      phase: 'before_start',
      ownerRole: 'engineering',
      required: true,
    });
  });

  it.each(GATES)('gate %s encodes "%s"', (key, line, expected) => expectGate(spec, doc, key, line, expected));

  it('leaves minimum samples to the engine, which derives them from each limit', () => {
    expect(spec.gates.filter((g) => g.minRequests !== undefined).map((g) => g.key)).toEqual([]);
    const derived = (key: string, gauge = false) =>
      defaultMinSample(spec.gates.find((g) => g.key === key) as Extract<TGateSpec, { kind: 'threshold' }>, gauge);
    expect(derived('error-rate-below-1pct')).toBe(1000); // 10 errors expected at 1%
    expect(derived('stage1-rollback-error-rate-2pct')).toBe(500); // 10 errors expected at 2%
    expect(derived('stage2-rollback-error-rate-1-5pct')).toBe(667);
    expect(derived('latency-p99-below-5s')).toBe(1000); // from a histogram: 10 requests above the P99
    expect(derived('latency-p99-below-5s', true)).toBe(3); // sent as a gauge: 3 points
    expect(derived('p1-availability-below-99-9pct', true)).toBe(3); // a gauge: 3 points
  });

  it('rolls back on P1 and stage rollback rules, pauses on P2', () => {
    expect(new Set(GATES.map(([key]) => key)).size).toBe(spec.gates.length);
    expect(gateOf(spec, 'p1-error-rate-5pct').stages, 'P1 applies at every stage').toBeUndefined();
    expect(spec.automation).toEqual({ autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false });
    expect(spec.incidentLevels.map((l) => [l.level, l.response])).toEqual([
      ['P1', 'Immediate Rollback'],
      ['P2', 'Considered Rollback'],
    ]);
    for (const criterion of spec.incidentLevels.flatMap((l) => l.criteria)) expect(doc).toContain(criterion);
  });

  it('has every checklist line of the document as an item in its section', () => {
    const lines = [
      ...itemCandidates(doc, {
        'Table of Contents': 'links',
        'When to Rollback': 'gates and incident levels',
        'DO ✅': 'standing guidance, not release steps (the low-traffic hours are an item, tested below)',
        "DON'T ❌": 'standing guidance, not release steps (Fridays are the release window)',
        'On-Call Rotation': 'contacts',
        'Key Contacts': 'contacts',
        'Communication Channels': 'channels: the templates name them',
        'Related Documentation': 'links',
      }),
      ...bulletsUnder(doc, 'Critical User Flows', ['numbered']),
    ];
    expect(lines.length).toBe(136);
    const goNoGo = lines.filter((l) => /^(✅ \*\*PROCEED|🛑 \*\*ROLLBACK)/.test(l.text));
    expect(goNoGo).toHaveLength(6);
    expectItemsCover(
      spec,
      lines,
      Object.fromEntries(goNoGo.map((l) => [l.text, 'a Go/No-Go decision: the ramp, or gates and known gaps'])),
    );
  });

  it('places items in their phase and stage', () => {
    expect(itemOf(spec, 'Error rate (>2% triggers P2, >5% triggers P1)')).toMatchObject({ phase: 'before_start' });
    expect(itemOf(spec, 'Average response time: _____')).toMatchObject({ phase: 'before_start' });
    expect(itemOf(spec, 'Status page update scheduled')).toMatchObject({ required: false });
    expect(itemOf(spec, 'CSP violations reviewed (if CSP enabled)')).toMatchObject({ required: false, ownerRole: 'security' });
    expect(itemOf(spec, '**Deployment successful**: All services deployed without errors')).toMatchObject({ stageKey: 'canary-5' });
    expect(itemOf(spec, 'Check CDN cache hit rate')).toMatchObject({ stageKey: 'canary-25' });
    expect(itemOf(spec, 'Login success rate (>95%)')).toMatchObject({ stageKey: 'canary-50' });
    expect(itemOf(spec, 'Monitor for 2 hours before signing off')).toMatchObject({ stageKey: 'full' });
    expect(itemOf(spec, '**Registration**: Create new account')).toMatchObject({ stageKey: 'full' });
    expect(itemOf(spec, 'No unexpected user drop-off')).toMatchObject({ phase: 'after_completion' });
  });

  it('has the communication templates verbatim, placeholders replaced by variables', () => {
    const body = (key: string): string => spec.messages.find((m) => m.key === key)?.body ?? '';
    expectTemplate(body('announcement-internal'), codeBlockAfter(doc, '**Internal (Slack #deployments)**:'), {
      '🚀 Deployment Starting: v1.2.3': '🚀 Deployment Starting: {{version}}',
      '**Time**: 2025-11-05 14:00 UTC': '**Time**: {{now}}',
      '**Changes**: Profile links feature, performance improvements': '**Changes**: {{notes}}',
      '**War Room**: #deploy-v1-2-3': '**War Room**: #deploy-war-room',
      '**On-Call**: @engineer-name': '**On-Call**: {{onCall}}',
      'Checklist: https://github.com/org/repo/issues/123': 'Checklist: {{releaseUrl}}',
    });
    expect(doc).toContain('**War Room**: #deploy-war-room (Slack)');
    expectTemplate(body('announcement-external'), codeBlockAfter(doc, '**External (Status Page)** (if user-impacting):'), {
      "We'll be deploying new features on November 5, 2025 at 14:00-16:00 UTC.":
        "We'll be deploying new features from {{startedAt}} for about 2 hours.",
    });
    expectTemplate(body('progress-internal'), codeBlockAfter(doc, '**Internal Update** (every 30 min):'), {
      '📊 Canary Update: 25% deployed': '📊 Canary Update: {{percent}}% deployed',
      '**Status**: ✅ Healthy': '**Status**: {{health}}',
      '**Error Rate**: 0.3% (baseline: 0.4%)': '**Error Rate**: {{errorRate}} (baseline: {{baselineErrorRate}})',
      '**Latency p95**: 1.2s (baseline: 1.3s)': '**Latency p95**: {{latencyP95}} (baseline: {{baselineLatencyP95}})',
      '**Issues**: None': '**Issues**: {{issues}}',
      'Proceeding to 50% in 30 minutes.': 'Proceeding to {{nextPercent}}% in {{timeLeft}}.',
    });
    expectTemplate(body('complete-internal'), codeBlockAfter(doc, '### Deployment Complete', '**Internal (Slack)**:'), {
      '✅ Deployment Complete: v1.2.3': '✅ Deployment Complete: {{version}}',
      '**Completed**: 2025-11-05 16:00 UTC': '**Completed**: {{now}}',
      '**Status**: Healthy': '**Status**: {{health}}',
      '**Issues**: None': '**Issues**: {{issues}}',
      'Monitoring for 2 hours. Will sign off at 18:00 UTC.': 'Monitoring for 2 hours. Will sign off at {{watchEndsAt}}.',
      'Release notes: https://github.com/org/repo/releases/tag/v1.2.3': 'Release notes: {{releaseUrl}}',
    });
    expectTemplate(body('complete-external'), codeBlockAfter(doc, '### Deployment Complete', '**External (Status Page)**:'));
    expectTemplate(body('rollback-internal'), codeBlockAfter(doc, '### Rollback Announcement', '**Internal (Slack)**:'), {
      '🔴 ROLLBACK IN PROGRESS: v1.2.3': '🔴 ROLLBACK IN PROGRESS: {{version}}',
      '**Reason**: Error rate exceeded 5%': '**Reason**: {{reason}}',
      '**Status**: Rolling back to v1.2.2': '**Status**: Rolling back to {{previousVersion}}',
    });
    expectTemplate(body('rollback-external'), codeBlockAfter(doc, '### Rollback Announcement', '**External (Status Page)**:'));
    expect(spec.messages.map((m) => `${m.kind}/${m.audience}`)).toEqual([
      'announcement/internal',
      'announcement/external',
      'progress/internal',
      'complete/internal',
      'complete/external',
      'rollback/internal',
      'rollback/external',
    ]);
  });

  it('sends each template at its moment: the progress update every 30 minutes, "Monitoring for 2 hours" on reaching 100%', () => {
    expect(doc).toContain('**Internal Update** (every 30 min):');
    expect(spec.messages.map((m) => [m.key, m.on, m.everySeconds])).toEqual([
      ['announcement-internal', undefined, undefined],
      ['announcement-external', undefined, undefined],
      ['progress-internal', [], 1800],
      ['complete-internal', ['full_traffic'], undefined],
      ['complete-external', undefined, undefined],
      ['rollback-internal', undefined, undefined],
      ['rollback-external', undefined, undefined],
    ]);
  });

  it('acts on a reported incident as "When to Rollback" says: P1 rolls back and pages, P2 pauses, P3 notifies', () => {
    expect(spec.incidentScale).toBe('P0-P3');
    expect(spec.incidentResponses.map((r) => [r.kinds, r.severities, r.action, r.page])).toEqual([
      [['incident'], ['P0', 'P1'], 'rollback', true],
      [['incident'], ['P2'], 'pause', false],
      [['incident'], ['P3'], 'notify', false],
      [['data_integrity'], undefined, 'rollback', true],
      [['critical_flow'], undefined, 'pause', false],
    ]);
    expect(spec.incidentResponses[0]!.source).toContain('**Immediate Rollback (P1)**:');
    expect(spec.incidentResponses[1]!.source).toContain('**Considered Rollback (P2)**:');
  });

  it('names the Emergency Contacts, the on-call rotation paged in order, escalating to the Engineering Manager', () => {
    expect(spec.contacts.map((c) => [c.role, c.name, c.email ?? null, c.onCall])).toEqual([
      ['Primary on-call', 'Primary on-call (listed in PagerDuty)', null, true],
      ['Secondary on-call', 'Secondary on-call (listed in PagerDuty)', null, true],
      ['Escalation', 'Engineering Manager', null, true],
      ['DevOps Lead', 'DevOps Lead', 'devops-lead@valine.app', false],
      ['Security Team', 'Security Team', 'security@valine.app', false],
      ['Product Manager', 'Product Manager', 'pm@valine.app', false],
      ['Customer Support', 'Customer Support', 'support@valine.app', false],
    ]);
    for (const c of spec.contacts.filter((x) => x.email)) expect(doc).toContain(`**${c.role}**: ${c.email}`);
    expect(spec.escalation).toEqual({ acknowledgeWithinSeconds: 900 });
  });

  it('starts Monday to Thursday only ("Don\'t deploy on Fridays"), and watches 100% for 2 hours before a person signs off', () => {
    expect(spec.windows).toEqual([
      expect.objectContaining({ days: ['mon', 'tue', 'wed', 'thu'], start: '00:00', end: '23:59', timeZone: 'UTC', ramps: false }),
    ]);
    expect(itemOf(spec, 'Deploy during low-traffic hours (avoid peak times)')).toMatchObject({ phase: 'before_start', required: true });
    expect(spec.stages[spec.stages.length - 1]).toMatchObject({ key: 'full', minBakeSeconds: 7200 });
    expect(spec.automation.autoComplete).toBe(false);
  });

  it('has the Full Rollback Checklist as the rollback procedure, the migration rollback optional', () => {
    const procedure = allItems(spec).filter((i) => i.phase === 'on_rollback');
    expect(procedure.map((i) => i.text)).toEqual(bulletsUnder(doc, 'Full Rollback Checklist', ['checkbox']).map((l) => l.text));
    expect(procedure.filter((i) => !i.required).map((i) => i.text)).toEqual(['Rollback database migration (if applicable)']);
    expect(new Set(procedure.map((i) => i.section))).toEqual(new Set(['Full Rollback Checklist']));
  });
});
