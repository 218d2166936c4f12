import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec } from '@rampart/contracts';
import { defaultMinSample } from '../../src/judgement/index.js';
import { valineCanaryPlaybook as playbook } from '../../src/playbooks/seeds/valine-canary.js';
import {
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
  '"Data corruption/loss": P1/P2 criteria other than error rate, latency, availability and pool usage (outage, data loss, exploited vulnerability, database unavailable, broken feature, complaints) are a person\'s call.',
  '"Capture baseline metrics from current production:": the captured values have no field; Rampart measures the baseline cohort live instead.',
  '"Full Rollback Checklist": its steps are not checklist items: a checklist has no "on rollback" phase.',
  '"Deploy on Fridays or before holidays": no calendar rule for when a release may start (nor "low-traffic hours").',
  '"**On-Call**: @engineer-name": no on-call variable; the template leaves [on-call engineer].',
  '"We\'ll be deploying new features on November 5, 2025 at 14:00-16:00 UTC.": releases have no scheduled window; the template leaves [date] and [deployment window].',
  '"Proceeding to 50% in 30 minutes.": no variable for the bake time left; the template leaves [time left].',
  '"Will sign off at 18:00 UTC.": no variable for the end of the bake; the template leaves [sign-off time].',
  '"**Completed**: 2025-11-05 16:00 UTC": no variable for when a stage was reached; {{now}} stands in (posted on reaching 100%).',
  '"**Duration**: ~2 hours (canary deployment)": no variable for the planned duration; kept as the document\'s fixed text.',
  '"Emergency Contacts": a playbook has no contact list.',
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
    expect(spec.automation).toEqual({ autoAdvance: false, autoPause: true, autoRollback: true });
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
        'Full Rollback Checklist': 'no "on rollback" checklist phase (known gap)',
        'DO ✅': 'standing guidance, not release steps',
        "DON'T ❌": 'standing guidance, not release steps',
        'On-Call Rotation': 'contacts (known gap)',
        'Key Contacts': 'contacts (known gap)',
        'Communication Channels': 'contacts (known gap)',
        'Related Documentation': 'links',
      }),
      ...bulletsUnder(doc, 'Critical User Flows', ['numbered']),
    ];
    expect(lines.length).toBe(128);
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
      '**On-Call**: @engineer-name': '**On-Call**: [on-call engineer]',
      'Checklist: https://github.com/org/repo/issues/123': 'Checklist: {{releaseUrl}}',
    });
    expect(doc).toContain('**War Room**: #deploy-war-room (Slack)');
    expectTemplate(body('announcement-external'), codeBlockAfter(doc, '**External (Status Page)** (if user-impacting):'), {
      "We'll be deploying new features on November 5, 2025 at 14:00-16:00 UTC.":
        "We'll be deploying new features on [date] at [deployment window] UTC.",
    });
    expectTemplate(body('progress-internal'), codeBlockAfter(doc, '**Internal Update** (every 30 min):'), {
      '📊 Canary Update: 25% deployed': '📊 Canary Update: {{percent}}% deployed',
      '**Status**: ✅ Healthy': '**Status**: {{health}}',
      '**Error Rate**: 0.3% (baseline: 0.4%)': '**Error Rate**: {{errorRate}} (baseline: {{baselineErrorRate}})',
      '**Latency p95**: 1.2s (baseline: 1.3s)': '**Latency p95**: {{latencyP95}} (baseline: {{baselineLatencyP95}})',
      '**Issues**: None': '**Issues**: {{issues}}',
      'Proceeding to 50% in 30 minutes.': 'Proceeding to {{nextPercent}}% in [time left].',
    });
    expectTemplate(body('complete-internal'), codeBlockAfter(doc, '### Deployment Complete', '**Internal (Slack)**:'), {
      '✅ Deployment Complete: v1.2.3': '✅ Deployment Complete: {{version}}',
      '**Completed**: 2025-11-05 16:00 UTC': '**Completed**: {{now}}',
      '**Status**: Healthy': '**Status**: {{health}}',
      '**Issues**: None': '**Issues**: {{issues}}',
      'Monitoring for 2 hours. Will sign off at 18:00 UTC.': 'Monitoring for 2 hours. Will sign off at [sign-off time].',
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
});
