import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec } from '@rampart/contracts';
import { defaultMinSample } from '../../src/judgement/index.js';
import { messageVariables, renderMessage, variablesForTemplate } from '../../src/index.js';
import type { TMessageFacts } from '../../src/index.js';
import { workersPhasedPlaybook as playbook } from '../../src/playbooks/seeds/workers-phased.js';
import {
  allItems,
  codeBlockAfter,
  commonPlaybookTests,
  expectGate,
  expectItemsCover,
  expectStage,
  expectTemplate,
  itemCandidates,
  itemOf,
} from './document.js';

/** What docs/seeds/003 says that Rampart's playbook model cannot express (yet). */
const KNOWN_GAPS = [
  '"Zero critical security alerts": security alerts reach Rampart only when someone (or an alert webhook) reports them as a security problem, which rolls back.',
  '"No critical alerts fired": Rampart does not receive the team\'s alerts; its own gates stand in for them.',
  '"Zero rollback-worthy issues": a judgement, not a metric.',
  '"Error rate by endpoint": metrics have no endpoint dimension; the error rate is judged for the whole service.',
  '"Database operation success rate": no threshold, and a playbook cannot list metrics to watch without a rule.',
  '"Client-side errors (via logging)": not a metric Rampart receives.',
  '"Sustained performance degradation over 15 minutes": "degradation" has no threshold; left to a person.',
  '"Database connection issues": not a metric Rampart receives.',
  '"Memory leaks detected": not a metric Rampart receives.',
  '"Stable performance trend": trends are not gates.',
  '"Positive user feedback (if applicable)": not a metric Rampart receives.',
  '"24 hours with error rate < 0.1%": gates judge windows, not a 24-hour cumulative rate; the 0.1% gate must pass when the 24-hour bake ends.',
  '"No escalations or incidents": incidents act by their severity (P0 rolls back … P3 notifies); there is no separate gate holding completion.',
  '"User sentiment stable or improved": not a metric Rampart receives.',
  '"All monitoring dashboards green": external dashboards are not read by Rampart.',
  '"rollback is still possible but requires higher bar": data loss and security reports roll back at every phase; a severe regression or a legal issue is reported as a P0 or P1.',
  '"Response time > 1000ms": a health check\'s failure conditions are the reporter\'s; Rampart receives health_ok as 1 or 0.',
  '"5xx Errors | > 5/minute": a per-minute count needs the reporter to send http_5xx_per_minute; Rampart\'s errors count per window.',
  '"PagerDuty → On-call engineer": Rampart pages the on-call engineer on a P0/P1 and an automatic rollback; it does not route the team\'s own alerts.',
  '"wrangler deployments gradual 0": a release never returns to an earlier (0%) stage; pausing holds the current percent.',
  '"Status: [Investigating / Identified / Monitoring / Resolved]": Rampart\'s incident statuses are Open, Mitigated and Resolved.',
  '"We\'re investigating reports of [issue description].": an incident\'s title is private; the status page names the service.',
];

const doc = readFileSync(new URL('../../../../docs/seeds/003_3d4c270bfca6fb6f.md', import.meta.url), 'utf8');
const spec = ZPlaybookSpec.parse(playbook.spec);
const PRODUCTION = ['canary-10', 'partial-50', 'full'];

/** A release at the canary with an open incident, for rendering the incident templates. */
const FACTS: TMessageFacts = {
  release: {
    service: 'spring-rate-calculator',
    version: '0.1.12',
    notes: '',
    ownerName: 'Owner',
    state: 'running',
    currentStageIndex: 1,
    desiredPercent: 10,
    acknowledgedPercent: 10,
    startedAt: new Date('2026-03-02T10:00:00Z'),
    finishedAt: null,
    stages: spec.stages.map((s, i) => ({ ...s, enteredAt: i <= 1 ? new Date('2026-03-02T10:00:00Z') : null })),
  },
  contacts: spec.contacts,
  now: new Date('2026-03-02T10:30:00Z'),
  releaseUrl: 'https://rampart.example/releases/1',
  reason: null,
  previousVersion: null,
  figures: { canary: { requests: 0, errors: 0, latencyP95Ms: null }, baseline: { requests: 0, errors: 0, latencyP95Ms: null }, windowMinutes: 5 },
  analysis: null,
  incident: { title: 'Sync fails', severity: 'P2', status: 'open', startedAt: new Date('2026-03-02T10:20:00Z'), handler: null, publicNote: null },
  openIncidents: 1,
};
const AUTO = ['canary-10', 'partial-50'];

/** [gate key, the document line, expected values] */
const GATES: [string, string, Record<string, unknown>][] = [
  ['error-rate-below-0-1pct', '- ✅ Error rate < 0.1%', { kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.001, severity: 'warn', stages: PRODUCTION }],
  ['latency-p95-below-500ms', '- ✅ P95 latency < 500ms', { kind: 'threshold', metric: 'latency_p95_ms', value: 500, severity: 'warn' }],
  ['health-checks-passing', '- ✅ All health checks passing', { kind: 'consecutive_failures', metric: 'health_ok', failures: 1, severity: 'warn' }],
  ['error-rate-sequential', '(compared to control group)', { kind: 'sequential', metric: 'error_rate', severity: 'pause' }],
  ['error-rate-above-0-5pct', '| Error Rate | > 0.5% | Warning | Investigate |', { value: 0.005, severity: 'warn' }],
  ['error-rate-above-0-5pct', 'Error rate spike (>0.5%)', { metric: 'error_rate' }],
  ['error-rate-above-1pct', '| Error Rate | > 1% | Critical | Consider rollback |', { value: 0.01, severity: 'pause', stages: PRODUCTION }],
  ['latency-p95-above-1000ms', '| P95 Latency | > 1000ms | Warning | Investigate |', { metric: 'latency_p95_ms', value: 1000, severity: 'warn' }],
  ['latency-p95-above-1000ms', 'Latency degradation (>1000ms P95)', { value: 1000 }],
  ['latency-p95-above-2000ms', '| P95 Latency | > 2000ms | Critical | Consider rollback |', { metric: 'latency_p95_ms', value: 2000, severity: 'pause' }],
  ['health-2-consecutive-failures', '| Health Check | 2 consecutive failures | Warning | Investigate |', { kind: 'consecutive_failures', failures: 2, severity: 'warn' }],
  ['health-3-consecutive-failures', '| Health Check | 3 consecutive failures | Critical | Rollback |', { kind: 'consecutive_failures', failures: 3, severity: 'rollback' }],
  ['http-5xx-above-5-per-minute', '| 5xx Errors | > 5/minute | Warning | Investigate |', { metric: 'http_5xx_per_minute', comparator: 'above', value: 5, severity: 'warn' }],
  ['http-5xx-above-20-per-minute', '| 5xx Errors | > 20/minute | Critical | Immediate action |', { metric: 'http_5xx_per_minute', value: 20, severity: 'pause' }],
  ['auto-rollback-error-rate-1pct', '- Error rate > 1%', { kind: 'threshold', metric: 'error_rate', value: 0.01, sustainSeconds: 0, severity: 'rollback', stages: AUTO }],
  ['auto-rollback-latency-p95-2000ms', '- P95 latency > 2000ms', { metric: 'latency_p95_ms', value: 2000, severity: 'rollback', stages: AUTO }],
  ['auto-rollback-health-failing-2min', '- Health check fails for > 2 minutes', { kind: 'consecutive_failures', metric: 'health_ok', failingForSeconds: 120, severity: 'rollback', stages: AUTO }],
  ['p1-error-rate-5pct-15min', '- Error rate > 5%', { metric: 'error_rate', value: 0.05, sustainSeconds: 900, severity: 'rollback' }],
  ['p1-latency-p95-5000ms-15min', '- P95 latency > 5000ms', { metric: 'latency_p95_ms', value: 5000, sustainSeconds: 900, severity: 'rollback' }],
];

describe('seed 003: workers-phased', () => {
  commonPlaybookTests(playbook, doc, KNOWN_GAPS);

  it('has the four phases with their traffic and minimum durations', () => {
    expect(spec.stages.map((s) => s.key)).toEqual(['staging', 'canary-10', 'partial-50', 'full']);
    expectStage(spec, doc, 'staging', '**Duration:** Until all checks pass\n**Traffic:** 0% production', {
      trafficPercent: 0,
      minBakeSeconds: 0,
    });
    expectStage(spec, doc, 'canary-10', '**Duration:** 2 hours minimum\n**Traffic:** 10% of production users', {
      trafficPercent: 10,
      minBakeSeconds: 7200,
    });
    expectStage(spec, doc, 'partial-50', '**Duration:** 4 hours minimum\n**Traffic:** 50% of production users', {
      trafficPercent: 50,
      minBakeSeconds: 4 * 3600,
    });
    expectStage(spec, doc, 'full', '**Duration:** 24 hours minimum\n**Traffic:** 100% of production users', {
      trafficPercent: 100,
      minBakeSeconds: 24 * 3600,
    });
  });

  it('needs the Engineering Lead and Product Owner go/no-go to leave staging', () => {
    expect(doc).toContain('**Go/No-Go Decision:** Engineering Lead + Product Owner');
    expect(spec.stages.find((s) => s.key === 'canary-10')?.signoff).toEqual([
      { role: 'engineering', count: 1 },
      { role: 'product', count: 1 },
    ]);
    expect(spec.stages.filter((s) => s.signoff.length > 0).map((s) => s.key)).toEqual(['canary-10']);
    // "Code review approved by 2+ engineers" is a checklist item, not a Rampart approval.
    expect(spec.approvalsBeforeStart).toEqual([]);
    expect(itemOf(spec, 'Code review approved by 2+ engineers')).toMatchObject({ phase: 'before_start' });
  });

  it.each(GATES)('gate %s encodes "%s"', (key, line, expected) => expectGate(spec, doc, key, line, expected));

  it('leaves minimum samples to the engine, which derives them from each limit', () => {
    expect(spec.gates.filter((g) => g.minRequests !== undefined).map((g) => g.key)).toEqual([]);
    const derived = (key: string, gauge = false) =>
      defaultMinSample(spec.gates.find((g) => g.key === key) as Extract<TGateSpec, { kind: 'threshold' }>, gauge);
    expect(derived('error-rate-below-0-1pct')).toBe(10_000); // 10 errors expected at 0.1%
    expect(derived('error-rate-above-0-5pct')).toBe(2000);
    expect(derived('auto-rollback-error-rate-1pct')).toBe(1000);
    expect(derived('latency-p95-below-500ms')).toBe(200); // from a histogram: 10 requests above the P95
    expect(derived('http-5xx-above-5-per-minute', true)).toBe(3); // a gauge: 3 points
  });

  it('rolls back automatically, as the document says', () => {
    expect(doc).toContain('**Automatic rollback** if:');
    expect(spec.automation).toEqual({ autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false });
    expect(new Set(GATES.map(([key]) => key)).size).toBe(spec.gates.length);
  });

  it('acts on a reported incident as its severity level says: P0 rolls back and pages, P1 pauses and pages, P2 holds, P3 notifies', () => {
    expect(spec.incidentScale).toBe('P0-P3');
    const bySeverity = spec.incidentResponses.filter((r) => r.severities !== undefined);
    expect(bySeverity.map((r) => [r.kinds, r.severities, r.action, r.page])).toEqual([
      [['incident'], ['P0'], 'rollback', true],
      [['incident'], ['P1'], 'pause', true],
      [['incident'], ['P2'], 'hold', false],
      [['incident'], ['P3'], 'notify', false],
    ]);
    for (const [i, level] of spec.incidentLevels.entries()) expect(bySeverity[i]!.source).toContain(`- **Response:** ${level.response}`);
    expect(bySeverity[1]!.source, 'P1 says why it pauses').toMatch(/Rampart: .*pauses.*15 minutes/);
    expect(spec.incidentResponses.filter((r) => r.severities === undefined).map((r) => [r.kinds, r.action])).toEqual([
      [['data_integrity'], 'rollback'],
      [['security'], 'rollback'],
      [['critical_flow'], 'rollback'],
      [['user_reports'], 'hold'],
    ]);
  });

  it('names the on-call engineer, paged on P0/P1', () => {
    expect(doc).toContain('- **Critical:** PagerDuty → On-call engineer');
    expect(spec.contacts).toEqual([{ role: 'On-call engineer', name: 'On-call engineer (to be assigned)', onCall: true }]);
    expect(spec.windows).toEqual([]);
  });

  it('watches 100% for 24 hours and completes by a person ("24 hours minimum")', () => {
    expect(spec.stages[spec.stages.length - 1]).toMatchObject({ key: 'full', minBakeSeconds: 24 * 3600 });
    expect(spec.automation.autoComplete).toBe(false);
  });

  it('has Manual Rollback and Database Rollback as the rollback procedure', () => {
    const procedure = allItems(spec).filter((i) => i.phase === 'on_rollback');
    expect(procedure.map((i) => [i.section, i.text.split(':**')[0]!.split(' (')[0], i.required])).toEqual([
      ['Manual Rollback', '**Stop traffic to new version', true],
      ['Manual Rollback', '**Verify rollback', true],
      ['Manual Rollback', 'Watch error rates return to normal', true],
      ['Manual Rollback', 'Verify latency improvements', true],
      ['Manual Rollback', 'Check user reports', true],
      ['Manual Rollback', 'Confirm health checks passing', true],
      ['Manual Rollback', 'Notify team in Slack #deployments', true],
      ['Manual Rollback', 'Update status page', false],
      ['Manual Rollback', 'Document incident in runbook', true],
      ['Database Rollback', 'Rollback migration', false],
      ['Database Rollback', 'Verify schema', false],
    ]);
    expect(doc).toContain('**For future backend with D1:**');
  });

  it('has every checklist line of the document as an item in its section', () => {
    const lines = itemCandidates(doc, {
      'Success Criteria': 'gates, or known gaps',
      'Rollback Threshold': 'gates, or known gaps',
      'Phase 1: Canary Deployment (10%) › Actions': 'metrics to watch and alerts: gates, or known gaps',
      'Cloudflare Workers Observability': 'metrics to watch',
      'Alert Channels': 'alert routing (known gap)',
      'Health Check Endpoint': 'the reporter\'s health check definition (known gap)',
      'Severity Levels': 'incident levels',
      'Document Maintenance': 'upkeep of the document, not a release step',
    });
    expect(lines.length).toBe(104);
    expectItemsCover(spec, lines);
  });

  it('places items in their phase and stage', () => {
    expect(itemOf(spec, 'Security scan (CodeQL) shows no new vulnerabilities')).toMatchObject({ ownerRole: 'security' });
    expect(itemOf(spec, 'Staging environment deployed and validated')).toMatchObject({ stageKey: 'staging' });
    expect(itemOf(spec, 'Create calculation (POST /api/calculations)')).toMatchObject({ stageKey: 'staging' });
    expect(itemOf(spec, 'Run load tests (target: 100 req/s for 5 minutes)')).toMatchObject({ stageKey: 'staging' });
    expect(itemOf(spec, 'Deploy to 10%')).toMatchObject({ phase: 'stage', stageKey: 'canary-10' });
    expect(itemOf(spec, 'Monitor for 2 hours')).toMatchObject({ stageKey: 'canary-10' });
    expect(itemOf(spec, 'Monitor for 4 hours')).toMatchObject({ stageKey: 'partial-50' });
    expect(itemOf(spec, 'Monitor for 24 hours')).toMatchObject({ stageKey: 'full' });
    expect(itemOf(spec, 'Post-mortem (if needed)')).toMatchObject({ phase: 'after_completion', required: false });
    expect(itemOf(spec, 'Customer communication drafted (if user-facing)')).toMatchObject({ required: false });
    expect(itemOf(spec, 'Usage patterns analyzed')).toMatchObject({ phase: 'after_completion' });
  });

  it('has the P0–P3 severity levels with their criteria and response', () => {
    expect(spec.incidentLevels.map((l) => l.level)).toEqual(['P0', 'P1', 'P2', 'P3']);
    for (const level of spec.incidentLevels) {
      expect(doc).toContain(`**${level.level} (`);
      for (const criterion of level.criteria) expect(doc).toContain(`- ${criterion}\n`);
      expect(doc).toContain(`- **Response:** ${level.response}\n`);
    }
  });

  it('has the incident templates, one internal per severity and the status page one', () => {
    const internal = codeBlockAfter(doc, '**Internal (Slack #incidents):**');
    const incidents = spec.messages.filter((m) => m.kind === 'incident' && m.audience === 'internal');
    expect(incidents.map((m) => m.severity)).toEqual(['P0', 'P1', 'P2', 'P3']);
    for (const message of incidents) {
      expectTemplate(message.body, internal, {
        '🚨 Incident: [Brief description]': '🚨 Incident: {{incident}}',
        'Severity: [P0/P1/P2/P3]': 'Severity: {{severity}}',
        'Start time: [ISO timestamp]': 'Start time: {{incidentStartedAt}}',
        'Impact: [User impact description]':
          'Impact: {{service}} {{version}} on {{percent}}% of production traffic ({{health}}); failing checks: {{issues}}',
        'Status: [Investigating / Identified / Monitoring / Resolved]': 'Status: {{incidentStatus}}',
        "Actions: [What we're doing]": 'Actions: {{severityResponse}} (release: {{state}}; handled by {{incidentHandler}})',
      });
    }
    // Each renders its own level's response.
    for (const message of incidents) {
      const level = spec.incidentLevels.find((l) => l.level === message.severity)!;
      const variables = variablesForTemplate(message, messageVariables(FACTS, spec.incidentLevels), spec.incidentLevels);
      const text = renderMessage(message, variables).text;
      expect(text).toContain(`Severity: ${level.level}\n`);
      expect(text).toContain(`Actions: ${level.response} (release: Running;`);
    }
    const external = spec.messages.find((m) => m.key === 'incident-external');
    expectTemplate(external?.body ?? '', codeBlockAfter(doc, '**External (Status page):**'), {
      "We're investigating reports of [issue description].": "We're investigating reports of problems with {{service}}.",
      'Last updated: [timestamp]': 'Last updated: {{now}}',
    });
    expect(external).toMatchObject({ audience: 'external', kind: 'incident' });
  });
});
