// Seed 001: a production rollout to 10% of instances for 15 minutes, then to the rest.
// Conventions as in pharmacy-canary.ts (sources, warn success criteria, minRequests derived by the engine
// for error rates, 20 for P95).
import type { TBuiltInPlaybook } from '../built-in.js';
import { buildChecklist, stage } from './author.js';

export const productionRolloutPlaybook: TBuiltInPlaybook = {
  key: 'production-rollout',
  name: 'Production rollout',
  description:
    'Backup, migrations, then the new version on 10% of instances with error rates watched for 15 minutes, ' +
    'then the remaining instances. Rolls back when errors exceed 1% for 5 minutes or P95 latency exceeds 1 second.',
  sourceDocument: 'docs/seeds/001_f87abfcbaa7c1534.md',
  spec: {
    stages: [
      {
        key: 'canary-10',
        name: '10% of instances',
        // The document splits instances, Rampart splits traffic: 10% of instances is taken as 10% of traffic.
        trafficPercent: 10,
        minBakeSeconds: 15 * 60,
        source: '- [ ] Deploy new version to 10% of instances\n- [ ] Monitor error rates for 15 minutes',
      },
      {
        key: 'full',
        name: 'Remaining instances',
        trafficPercent: 100,
        minBakeSeconds: 0,
        source:
          '- [ ] Deploy to remaining instances\n' +
          'Rampart: no bake time; the 24-hour monitoring is a post-deployment task.',
      },
    ],
    gates: [
      {
        key: 'error-rate-above-1pct-5min',
        name: 'Error rate above 1% for 5 minutes',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.01,
        sustainSeconds: 5 * 60,
        severity: 'rollback',
        source: '- Error rate exceeds 1% for 5 minutes',
      },
      {
        key: 'latency-p95-above-1s',
        name: 'P95 latency above 1 second',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 1000,
        sustainSeconds: 0,
        severity: 'rollback',
        source: '- P95 latency exceeds 1 second',
      },
      {
        // "No increase" has no allowance: the honest measurable form is a statistical comparison of
        // canary and baseline. Severity warn, as for every success criterion: it blocks the ramp only.
        key: 'error-rate-no-increase',
        name: 'No increase in error rates (sequential test)',
        kind: 'sequential',
        metric: 'error_rate',
        alpha: 0.01,
        severity: 'warn',
        source: '- [ ] No increase in error rates',
      },
    ],
    checklist: buildChecklist([
      {
        title: '1. Infrastructure Validation',
        at: 'before_start',
        items: [
          ['Database backup completed', 'infrastructure'],
          ['Database migrations tested on staging', 'infrastructure'],
          ['Staging environment matches production configuration', 'infrastructure'],
          ['CDN configuration verified', 'infrastructure'],
          ['SSL certificates valid and up to date', 'infrastructure'],
        ],
      },
      {
        title: '2. Application Readiness',
        at: 'before_start',
        items: [
          ['All integration tests passing', 'engineering'],
          ['Performance tests completed', 'engineering'],
          ['Security scans completed', 'security'],
          ['Dependencies up to date', 'engineering'],
          ['Documentation updated', 'engineering'],
        ],
      },
      {
        title: '3. Monitoring Setup',
        at: 'before_start',
        items: [
          ['Prometheus metrics configured', 'infrastructure'],
          ['Grafana dashboards ready', 'infrastructure'],
          ['Alert rules configured', 'infrastructure'],
          ['Log aggregation verified', 'infrastructure'],
          ['Error tracking active', 'engineering'],
        ],
      },
      {
        title: '1. Pre-deployment Communication',
        at: 'before_start',
        items: [
          ['Notify stakeholders of deployment window', 'release_owner'],
          ['Confirm on-call support availability', 'release_owner'],
          ['Review rollback procedures with team', 'release_owner'],
          ['Update status page', 'release_owner'],
        ],
      },
      {
        // The database is updated before any instance runs the new version.
        title: '2. Database Updates',
        at: 'before_start',
        items: [
          ['Take full database backup', 'infrastructure'],
          ['Verify backup integrity', 'infrastructure'],
          ['Apply schema migrations', 'infrastructure'],
          ['Verify data integrity', 'infrastructure'],
        ],
      },
      {
        title: '3. Application Deployment',
        at: stage('canary-10'),
        items: [
          ['Scale down background workers', 'infrastructure', { at: 'before_start' }],
          ['Deploy new version to 10% of instances', 'release_owner'],
          ['Monitor error rates for 15 minutes', 'release_owner'],
          ['Deploy to remaining instances', 'release_owner', { at: stage('full') }],
          ['Scale up background workers', 'infrastructure', { at: stage('full') }],
        ],
      },
      {
        title: '4. Post-deployment Verification',
        at: 'after_completion',
        items: [
          ['Health checks passing', 'engineering'],
          ['Metrics reporting correctly', 'infrastructure'],
          ['Sample transactions successful', 'engineering'],
          ['Background jobs processing', 'engineering'],
          ['No unexpected errors in logs', 'engineering'],
        ],
      },
      {
        // Judged over the whole deployment, so confirmed once it is complete; the measurable parts
        // are also gates (error rates) or known gaps (SLA, downtime).
        title: 'Success Criteria',
        at: 'after_completion',
        items: [
          ['Zero downtime during deployment', 'release_owner'],
          ['No increase in error rates', 'engineering'],
          ['Response times within SLA', 'engineering'],
          ['All critical flows functional', 'engineering'],
          ['Monitoring systems healthy', 'infrastructure'],
          ['Background jobs processing normally', 'engineering'],
        ],
      },
      {
        title: '1. Monitoring (24 hours)',
        at: 'after_completion',
        items: [
          ['Watch error rates', 'engineering'],
          ['Monitor performance metrics', 'engineering'],
          ['Check database performance', 'infrastructure'],
          ['Verify background job completion', 'engineering'],
          ['Monitor resource usage', 'infrastructure'],
        ],
      },
      {
        title: '2. Documentation',
        at: 'after_completion',
        items: [
          ['Update runbooks if needed', 'engineering', { optional: true }],
          ['Document any deployment issues', 'release_owner'],
          ['Update architecture diagrams', 'engineering'],
          ['Record deployment metrics', 'release_owner'],
        ],
      },
      {
        title: '3. Review',
        at: 'after_completion',
        items: [
          ['Schedule deployment retrospective', 'release_owner'],
          ['Collect feedback from team', 'release_owner'],
          ['Update deployment process', 'release_owner'],
          ['Document lessons learned', 'release_owner'],
        ],
      },
    ]),
    // The document names no approvers.
    approvalsBeforeStart: [],
    // No templates in the document: Rampart defaults for "Notify stakeholders of deployment window",
    // "Update status page" and the rollback's "Notify stakeholders".
    messages: [
      {
        key: 'announcement',
        kind: 'announcement',
        audience: 'internal',
        title: 'Deployment window (Rampart default)',
        body:
          '🚀 Deployment of {{service}} {{version}} starting\n\n' +
          'Plan: 10% of instances for 15 minutes, then the remaining instances\nOwner: {{owner}}\n' +
          'Changes: {{notes}}\nRollback if the error rate exceeds 1% for 5 minutes or P95 latency exceeds 1 second.\n\n' +
          'Details: {{releaseUrl}}',
      },
      {
        key: 'progress',
        kind: 'progress',
        audience: 'internal',
        title: 'Deployment update (Rampart default)',
        body:
          '📊 {{service}} {{version}}: {{stage}} at {{percent}}% (applied: {{acknowledgedPercent}}%)\n\n' +
          'Health: {{health}}\nError rate: {{errorRate}} (baseline: {{baselineErrorRate}})\n' +
          'P95 latency: {{latencyP95}} (baseline: {{baselineLatencyP95}})\nIssues: {{issues}}',
      },
      {
        key: 'complete',
        kind: 'complete',
        audience: 'internal',
        title: 'Deployment complete (Rampart default)',
        body:
          '✅ {{service}} {{version}} is on all instances ({{finishedAt}}).\n\n' +
          'Health: {{health}}\nIssues: {{issues}}\n\nMonitoring continues for 24 hours. Details: {{releaseUrl}}',
      },
      {
        key: 'rollback',
        kind: 'rollback',
        audience: 'internal',
        title: 'Rollback (Rampart default)',
        body:
          '🔴 Rolling back {{service}} {{version}} to {{previousVersion}}\n\n' +
          'Reason: {{reason}}\nState: {{state}}\nIssues: {{issues}}\n\n' +
          'Traffic is going back to the previous version; an incident review will follow. Details: {{releaseUrl}}',
      },
    ],
    // "Initiate rollback if: Error rate exceeds 1% for 5 minutes / P95 latency exceeds 1 second" are
    // rules with numbers and, for errors, their own sustain window: Rampart applies them itself.
    // Ramping to the remaining instances stays a person's decision.
    automation: { autoAdvance: false, autoPause: true, autoRollback: true },
  },
};
