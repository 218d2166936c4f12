// Seed 001: a production rollout to 10% of instances for 15 minutes, then to the rest, watched for 24 hours.
// Conventions as in pharmacy-canary.ts (sources, warn success criteria, minRequests derived by the engine
// for error rates, 20 for P95).
import type { TBuiltInPlaybook } from '../built-in.js';
import { buildChecklist, stage } from './author.js';

const INITIATE = 'Initiate rollback if:';

export const productionRolloutPlaybook: TBuiltInPlaybook = {
  key: 'production-rollout',
  name: 'Production rollout',
  description:
    'Backup, migrations, then the new version on 10% of instances with error rates watched for 15 minutes, ' +
    'then the remaining instances, monitored for 24 hours before it completes by itself. Rolls back when errors ' +
    'exceed 1% for 5 minutes, P95 latency exceeds 1 second, or someone reports a failing critical flow, a security ' +
    'vulnerability or a data integrity issue.',
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
        minBakeSeconds: 24 * 3600,
        source:
          '- [ ] Deploy to remaining instances\n### 1. Monitoring (24 hours)\n' +
          'Rampart: the 24 hours of monitoring after the deployment are this stage\u2019s watch; the rollback triggers keep judging it.',
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
        // Verified once the remaining instances run the new version, during the 24-hour watch.
        title: '4. Post-deployment Verification',
        at: stage('full'),
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
        at: stage('full'),
        items: [
          ['Watch error rates', 'engineering'],
          ['Monitor performance metrics', 'engineering'],
          ['Check database performance', 'infrastructure'],
          ['Verify background job completion', 'engineering'],
          ['Monitor resource usage', 'infrastructure'],
        ],
      },
      {
        title: 'Rollback Process › 1. Immediate Actions',
        at: 'on_rollback',
        items: [
          // Conditional: Rampart's rollback has already stopped any ramp; a deploy tool may still be running.
          ['Stop deployment if in progress', 'release_owner', { optional: true }],
          ['Scale up previous version', 'infrastructure'],
          ['Direct traffic to previous version', 'infrastructure'],
          ['Notify stakeholders', 'release_owner'],
        ],
      },
      {
        title: 'Rollback Process › 2. Database Rollback',
        at: 'on_rollback',
        items: [
          ['Restore from pre-deployment backup if needed', 'infrastructure', { optional: true }],
          ['Verify data integrity', 'infrastructure'],
          ['Run validation queries', 'infrastructure'],
        ],
      },
      {
        title: 'Rollback Process › 3. Post-Rollback',
        at: 'on_rollback',
        items: [
          ['Verify system health', 'engineering'],
          ['Update status page', 'release_owner'],
          ['Schedule incident review', 'release_owner'],
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
    // "Update status page" (before the deployment and after a rollback) and the rollback's "Notify stakeholders".
    // External texts go to the public status page: they name the service and nothing internal.
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
        key: 'announcement-external',
        kind: 'announcement',
        audience: 'external',
        title: 'Status page: deployment window (Rampart default)',
        body:
          'Deployment in progress: {{service}}\n\n' +
          'We started deploying a new version of {{service}} at {{startedAt}}. No downtime is expected.\n\n' +
          'Last updated: {{now}}',
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
        key: 'all-instances',
        kind: 'complete',
        audience: 'internal',
        title: 'On all instances, 24-hour monitoring begins (Rampart default)',
        on: ['full_traffic'],
        body:
          '✅ {{service}} {{version}} is on all instances ({{now}}).\n\n' +
          'Health: {{health}}\nIssues: {{issues}}\n\nMonitoring for 24 hours, until {{watchEndsAt}}. Details: {{releaseUrl}}',
      },
      {
        key: 'complete',
        kind: 'complete',
        audience: 'internal',
        title: 'Deployment complete (Rampart default)',
        body:
          '✅ {{service}} {{version}}: 24 hours of monitoring are over ({{finishedAt}}).\n\n' +
          'Health: {{health}}\nIssues: {{issues}}\n\nDocumentation and review follow. Details: {{releaseUrl}}',
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
      {
        key: 'rolled-back-external',
        kind: 'rollback',
        audience: 'external',
        title: 'Status page: after the rollback (Rampart default)',
        on: ['rolled_back'],
        body:
          'Resolved: {{service}} deployment rolled back\n\n' +
          'We rolled back a deployment of {{service}} to the previous version. The service is running normally.\n\n' +
          'Last updated: {{now}}',
      },
      {
        key: 'incident',
        kind: 'incident',
        audience: 'internal',
        title: 'Problem reported (Rampart default)',
        body:
          '🚨 Problem reported on {{service}} {{version}}: {{incident}}\n\n' +
          'Started: {{incidentStartedAt}}\nStatus: {{incidentStatus}}\nHandled by: {{incidentHandler}}\n' +
          'Release: {{state}} at {{percent}}%\n\nDetails: {{releaseUrl}}',
      },
    ],
    // The three triggers that are not metrics, reported by people (or an error tracker) as problems of their kind.
    // The document has no severity scale: the default applies and the rules go by kind.
    incidentResponses: [
      { kinds: ['critical_flow'], action: 'rollback', page: false, source: `${INITIATE}\n- Critical business flows failing` },
      { kinds: ['security'], action: 'rollback', page: false, source: `${INITIATE}\n- Security vulnerability detected` },
      { kinds: ['data_integrity'], action: 'rollback', page: false, source: `${INITIATE}\n- Data integrity issues observed` },
    ],
    // "Confirm on-call support availability" names nobody: each release names its on-call people.
    contacts: [],
    // "Initiate rollback if: Error rate exceeds 1% for 5 minutes / P95 latency exceeds 1 second" are
    // rules with numbers and, for errors, their own sustain window: Rampart applies them itself.
    // Ramping to the remaining instances stays a person's decision. autoComplete: "Monitoring (24 hours)" is a
    // fixed period that nobody signs off, watched by the triggers above; once its tasks are ticked and the
    // 24 hours pass without a trigger, the deployment is over (Documentation and Review follow completion).
    automation: { autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: true },
  },
};
