// Seed 004: Project Valine release and canary deployment (5% → 25% → 50% → 100%, AWS Lambda + CloudFront).
// Conventions as in pharmacy-canary.ts (sources, warn success criteria, minRequests derived by the
// engine). Incident levels map to severities as the document's
// "When to Rollback" does: P1 "Immediate Rollback" → rollback, P2 "Considered Rollback" → pause,
// P3 (an alert only) → warn.
import type { TBuiltInPlaybook } from '../built-in.js';
import { buildChecklist, stage } from './author.js';

const IMMEDIATE_P1 = '**Immediate Rollback (P1)**:';
const CONSIDERED_P2 = '**Considered Rollback (P2)**:';
const ERROR_ALERT = '- [ ] Error rate (>2% triggers P2, >5% triggers P1)';
const LATENCY_ALERT = '- [ ] Latency (p95 >2s triggers P3, >5s triggers P2)';

// The document's communication templates, line by line, with its example values replaced by Rampart
// variables (the on-call engineer, the time left, the end of the 2-hour watch, when 100% was reached).
function template(lines: string[]): string {
  return lines.join('\n');
}
const ANNOUNCEMENT_INTERNAL = template([
  '🚀 Deployment Starting: {{version}}',
  '',
  '**Time**: {{now}}',
  '**Duration**: ~2 hours (canary deployment)',
  '**Changes**: {{notes}}',
  '**Impact**: None expected',
  '',
  '**War Room**: #deploy-war-room',
  '**On-Call**: {{onCall}}',
  '',
  'Checklist: {{releaseUrl}}',
]);
const ANNOUNCEMENT_EXTERNAL = template([
  'Scheduled Maintenance - Feature Deployment',
  '',
  // Posted when the deployment starts: the document's "~2 hours (canary deployment)" from that moment.
  "We'll be deploying new features from {{startedAt}} for about 2 hours.",
  '',
  'Expected impact: None',
  'Affected services: None',
  '',
  "We'll keep you updated here.",
]);
const PROGRESS_INTERNAL = template([
  '📊 Canary Update: {{percent}}% deployed',
  '',
  '**Status**: {{health}}',
  '**Error Rate**: {{errorRate}} (baseline: {{baselineErrorRate}})',
  '**Latency p95**: {{latencyP95}} (baseline: {{baselineLatencyP95}})',
  '**Issues**: {{issues}}',
  '',
  'Proceeding to {{nextPercent}}% in {{timeLeft}}.',
]);
const COMPLETE_INTERNAL = template([
  '✅ Deployment Complete: {{version}}',
  '',
  // Posted on reaching 100%; the release completes ("signs off") after the 2-hour watch.
  '**Completed**: {{now}}',
  '**Status**: {{health}}',
  '**Issues**: {{issues}}',
  '',
  'Monitoring for 2 hours. Will sign off at {{watchEndsAt}}.',
  '',
  'Release notes: {{releaseUrl}}',
]);
const COMPLETE_EXTERNAL = template([
  'Resolved - Feature Deployment',
  '',
  'New features successfully deployed. All systems operational.',
  '',
  'Thank you for your patience!',
]);
const ROLLBACK_INTERNAL = template([
  '🔴 ROLLBACK IN PROGRESS: {{version}}',
  '',
  '**Reason**: {{reason}}',
  '**Status**: Rolling back to {{previousVersion}}',
  '**ETA**: 10 minutes',
  '',
  'Post-mortem scheduled for tomorrow.',
]);
const ROLLBACK_EXTERNAL = template([
  'Investigating - Service Degradation',
  '',
  // The trailing space is the document's.
  "We're experiencing higher than normal error rates and are ",
  "rolling back to a previous version. We'll update you shortly.",
]);

export const valineCanaryPlaybook: TBuiltInPlaybook = {
  key: 'valine-canary',
  name: 'Project Valine canary release',
  description:
    'Release and canary deployment for Project Valine: 5% for 30 minutes, 25% and 50% for an hour each, ' +
    'then 100% with 2 hours of monitoring before sign-off, started Monday to Thursday. Stage-specific rollback ' +
    'thresholds, P1/P2 rollback rules for metrics and reported incidents, the on-call rotation, and the team\u2019s ' +
    'Slack and status page templates.',
  sourceDocument: 'docs/seeds/004_1fa73fa06f96720e.md',
  spec: {
    stages: [
      {
        key: 'canary-5',
        name: 'Stage 1: 5% Canary',
        trafficPercent: 5,
        minBakeSeconds: 30 * 60,
        source: 'Stage 1: 5% traffic (30 min)\n### Stage 1: 5% Canary (30 minutes)',
      },
      {
        key: 'canary-25',
        name: 'Stage 2: 25% Canary',
        trafficPercent: 25,
        minBakeSeconds: 3600,
        source: 'Stage 2: 25% traffic (1 hour)\n### Stage 2: 25% Canary (1 hour)',
      },
      {
        key: 'canary-50',
        name: 'Stage 3: 50% Canary',
        trafficPercent: 50,
        minBakeSeconds: 3600,
        source: 'Stage 3: 50% traffic (1 hour)\n### Stage 3: 50% Canary (1 hour)',
      },
      {
        key: 'full',
        name: 'Stage 4: 100% Deployment',
        trafficPercent: 100,
        minBakeSeconds: 2 * 3600,
        source:
          'Stage 4: 100% traffic (full rollout)\n- [ ] Monitor for 2 hours before signing off\n' +
          'Rampart: signing off is completing the release, so the 2 hours are this stage\u2019s bake time.',
      },
    ],
    gates: [
      // Validation checklists: success criteria, warn.
      {
        key: 'error-rate-below-1pct',
        name: 'Error rate < 1%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.01,
        sustainSeconds: 0,
        severity: 'warn',
        source:
          '- [ ] **Error rate normal**: <1% in canary group\n- [ ] Error rate <1% in canary group\n' +
          '- [ ] Error rate <1%\n- [ ] Error rate remains <1%\n- [ ] Error rates stable (<1%)',
      },
      {
        key: 'latency-p95-below-2s',
        name: 'Latency p95 < 2s',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 2000,
        sustainSeconds: 0,
        severity: 'warn',
        source:
          '- [ ] **Latency acceptable**: p95 <2s, p99 <5s\n- [ ] Latency p95 <2s\n' +
          `- [ ] Latency within SLA (p95 <2s)\n${LATENCY_ALERT}`,
      },
      {
        key: 'latency-p99-below-5s',
        name: 'Latency p99 < 5s (5% canary)',
        kind: 'threshold',
        metric: 'latency_p99_ms',
        comparator: 'above',
        value: 5000,
        sustainSeconds: 0,
        severity: 'warn',
        stages: ['canary-5'],
        source: '- [ ] **Latency acceptable**: p95 <2s, p99 <5s',
      },
      {
        key: 'health-checks-pass',
        name: 'Health checks pass',
        kind: 'consecutive_failures',
        metric: 'health_ok',
        failures: 1,
        sustainSeconds: 0,
        severity: 'warn',
        source: '- [ ] **Health checks pass**: `/health` endpoint returns 200\n- [ ] All health checks pass',
      },
      {
        key: 'db-pool-below-50pct',
        name: 'Database connection pool < 50% (5% canary)',
        kind: 'threshold',
        metric: 'db_connection_pool_usage',
        comparator: 'above',
        value: 0.5,
        sustainSeconds: 0,
        severity: 'warn',
        stages: ['canary-5'],
        source: '- [ ] **Database stable**: Connection pool <50%, query performance normal',
      },
      {
        key: 'login-success-above-95pct',
        name: 'Login success rate > 95% (50% canary)',
        kind: 'threshold',
        metric: 'login_success_rate',
        comparator: 'below',
        value: 0.95,
        sustainSeconds: 0,
        severity: 'warn',
        stages: ['canary-50'],
        source: '- [ ] Login success rate (>95%)',
      },
      {
        key: 'error-rate-sequential',
        name: 'Canary error rate not worse than stable (sequential test)',
        kind: 'sequential',
        metric: 'error_rate',
        alpha: 0.01,
        severity: 'pause',
        source:
          '- Error rate (canary vs stable)\n' +
          'Rampart: a statistical canary-vs-stable comparison that stays valid when watched continuously; it pauses.',
      },
      // Go/No-Go decisions: stage-specific rollbacks.
      {
        key: 'stage1-rollback-error-rate-2pct',
        name: 'Stage 1 rollback: error rate > 2%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.02,
        sustainSeconds: 0,
        severity: 'rollback',
        stages: ['canary-5'],
        source: '- 🛑 **ROLLBACK**: Any critical issue or error rate >2%',
      },
      {
        key: 'stage2-rollback-error-rate-1-5pct',
        name: 'Stage 2 rollback: error rate > 1.5%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.015,
        sustainSeconds: 0,
        severity: 'rollback',
        stages: ['canary-25'],
        source: '- 🛑 **ROLLBACK**: Error rate >1.5%, latency increase >20%',
      },
      {
        // "latency increase": P95, the latency every other rule of this document uses, against stable.
        key: 'stage2-rollback-latency-increase-20pct',
        name: 'Stage 2 rollback: latency increase > 20%',
        kind: 'baseline_delta',
        metric: 'latency_p95_ms',
        worseWhen: 'higher',
        maxRelativeChange: 0.2,
        sustainSeconds: 0,
        severity: 'rollback',
        stages: ['canary-25'],
        source: '- 🛑 **ROLLBACK**: Error rate >1.5%, latency increase >20%',
      },
      // When to Rollback, and the alerts' P1/P2 triggers.
      {
        key: 'p1-error-rate-5pct',
        name: 'P1 immediate rollback: error rate > 5%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.05,
        sustainSeconds: 0,
        severity: 'rollback',
        source: `${IMMEDIATE_P1}\n- Error rate >5%\n${ERROR_ALERT}`,
      },
      {
        key: 'p1-availability-below-99-9pct',
        name: 'P1 immediate rollback: availability < 99.9%',
        kind: 'threshold',
        metric: 'availability',
        comparator: 'below',
        value: 0.999,
        sustainSeconds: 0,
        severity: 'rollback',
        source: `${IMMEDIATE_P1}\n- [ ] Availability (<99.9% triggers P1)`,
      },
      {
        key: 'p2-error-rate-2pct',
        name: 'P2 considered rollback: error rate 2–5%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.02,
        sustainSeconds: 0,
        severity: 'pause',
        source: `${CONSIDERED_P2}\n- Error rate 2-5%\n${ERROR_ALERT}`,
      },
      {
        key: 'p2-latency-increase-50pct',
        name: 'P2 considered rollback: latency increase > 50%',
        kind: 'baseline_delta',
        metric: 'latency_p95_ms',
        worseWhen: 'higher',
        maxRelativeChange: 0.5,
        sustainSeconds: 0,
        severity: 'pause',
        source: `${CONSIDERED_P2}\n- Significant performance degradation (>50% latency increase)`,
      },
      {
        key: 'p2-latency-p95-5s',
        name: 'P2: latency p95 > 5s',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 5000,
        sustainSeconds: 0,
        severity: 'pause',
        source: `${CONSIDERED_P2}\n${LATENCY_ALERT}`,
      },
      {
        key: 'p2-db-connections-80pct',
        name: 'P2: database connections > 80% of pool',
        kind: 'threshold',
        metric: 'db_connection_pool_usage',
        comparator: 'above',
        value: 0.8,
        sustainSeconds: 0,
        severity: 'pause',
        source: `${CONSIDERED_P2}\n- [ ] Database connections (>80% pool triggers P2)`,
      },
    ],
    // The Full Rollback Checklist is the rollback procedure. Best Practices (DO/DON'T) are standing guidance, not
    // steps of a release, except the low-traffic hours (a before-start item: the document gives no hours) and
    // "Don't deploy on Fridays" (the release window).
    checklist: buildChecklist([
      {
        title: 'Code Quality',
        at: 'before_start',
        items: [
          // A pull-request review in GitHub before the release exists, not a sign-off on this release:
          // a checklist item, not two engineering approvals in Rampart.
          ['All pull requests reviewed and approved by at least 2 engineers', 'engineering'],
          ['All GitHub Actions CI checks passing (lint, build, test)', 'engineering'],
          ['Code coverage meets threshold (>80% for critical paths)', 'engineering'],
          ['No unresolved merge conflicts', 'engineering'],
          ['Changelog updated with user-facing changes', 'engineering'],
        ],
      },
      {
        title: 'Testing',
        at: 'before_start',
        items: [
          ['Unit tests pass locally and in CI', 'engineering'],
          ['Integration tests pass in staging environment', 'engineering'],
          ['E2E tests pass for critical user flows:', 'engineering'],
          ['User registration and login', 'engineering'],
          ['Profile creation and editing', 'engineering'],
          ['Content upload (posts, reels)', 'engineering'],
          ['Messaging functionality', 'engineering'],
          ['Search and discovery', 'engineering'],
          ['Performance tests show no regressions', 'engineering'],
          ['Load tests validate capacity under expected traffic', 'infrastructure'],
          ['Visual regression tests reviewed (Percy/Chromatic)', 'engineering'],
        ],
      },
      {
        title: 'Security',
        at: 'before_start',
        items: [
          ['Security scan completed (CodeQL, Snyk)', 'security'],
          ['No critical or high vulnerabilities', 'security'],
          ['Dependencies updated and audited (`npm audit`)', 'security'],
          ['Secrets properly configured (not hardcoded)', 'security'],
          ['CSP violations reviewed (if CSP enabled)', 'security', { optional: true }],
          ['OWASP ZAP scan completed (if significant changes)', 'security', { optional: true }],
        ],
      },
      {
        title: 'Database Migrations',
        at: 'before_start',
        items: [
          ['Migrations tested in staging environment', 'infrastructure'],
          ['Rollback migration script prepared and tested', 'infrastructure'],
          ['No destructive changes without data backup', 'infrastructure'],
          ['Migration execution time estimated (<5 min preferred)', 'infrastructure'],
          ['Database backup completed before migration', 'infrastructure'],
          ['Migration documentation updated', 'engineering'],
        ],
      },
      {
        title: 'Infrastructure',
        at: 'before_start',
        items: [
          ['AWS infrastructure changes reviewed (if applicable)', 'infrastructure', { optional: true }],
          ['CloudFormation/Terraform changes validated', 'infrastructure'],
          ['DNS changes scheduled (if applicable)', 'infrastructure', { optional: true }],
          ['SSL certificates valid and up-to-date', 'infrastructure'],
          ['CDN cache invalidation plan prepared', 'infrastructure'],
          ['Auto-scaling policies reviewed', 'infrastructure'],
        ],
      },
      {
        title: 'Observability Setup',
        at: 'before_start',
        items: [
          ['CloudWatch dashboards updated for new metrics', 'infrastructure'],
          ['Alerts configured for critical metrics:', 'infrastructure'],
          ['Error rate (>2% triggers P2, >5% triggers P1)', 'infrastructure'],
          ['Latency (p95 >2s triggers P3, >5s triggers P2)', 'infrastructure'],
          ['Availability (<99.9% triggers P1)', 'infrastructure'],
          ['Database connections (>80% pool triggers P2)', 'infrastructure'],
          ['Sentry error tracking configured', 'engineering'],
          ['Log aggregation working (CloudWatch Logs Insights)', 'infrastructure'],
          ['Synthetic monitoring configured (Pingdom/Datadog)', 'infrastructure'],
        ],
      },
      {
        title: 'Metrics Baseline',
        at: 'before_start',
        items: [
          ['Capture baseline metrics from current production:', 'infrastructure'],
          ['Average response time: _____', 'infrastructure'],
          ['Error rate: _____', 'infrastructure'],
          ['CPU utilization: _____', 'infrastructure'],
          ['Memory utilization: _____', 'infrastructure'],
          ['Database connections: _____', 'infrastructure'],
        ],
      },
      {
        title: '4. Communication (Day before) › Internal',
        at: 'before_start',
        items: [
          ['Release notes shared with team', 'release_owner'],
          ['On-call schedule confirmed', 'release_owner'],
          ['War room scheduled (Zoom/Slack huddle)', 'release_owner'],
          ['Stakeholders notified of deployment window', 'release_owner'],
        ],
      },
      {
        // The heading's "(if user-impacting)" makes every item of the section conditional.
        title: '4. Communication (Day before) › External (if user-impacting)',
        at: 'before_start',
        items: [
          ['Status page update scheduled', 'release_owner', { optional: true }],
          ['User notification prepared (email/in-app)', 'product', { optional: true }],
          ['Support team briefed on changes', 'product', { optional: true }],
          ['Social media updates drafted (if major release)', 'product', { optional: true }],
        ],
      },
      {
        title: 'DO ✅',
        at: 'before_start',
        items: [['Deploy during low-traffic hours (avoid peak times)', 'release_owner']],
      },
      {
        title: 'Validation Checklist (5% traffic)',
        at: stage('canary-5'),
        items: [
          ['**Deployment successful**: All services deployed without errors', 'release_owner'],
          ['**Health checks pass**: `/health` endpoint returns 200', 'engineering'],
          ['**Error rate normal**: <1% in canary group', 'engineering'],
          ['**Latency acceptable**: p95 <2s, p99 <5s', 'engineering'],
          ['**No critical errors**: Sentry shows no new P1 issues', 'engineering'],
          ['**Database stable**: Connection pool <50%, query performance normal', 'infrastructure'],
          ['**User reports**: No complaints in support channels', 'product'],
        ],
      },
      {
        // Includes the "Additional Checks" under the same heading.
        title: 'Validation Checklist (25% traffic)',
        at: stage('canary-25'),
        items: [
          ['Error rate <1% in canary group', 'engineering'],
          ['Latency p95 <2s', 'engineering'],
          ['No new critical errors in Sentry', 'engineering'],
          ['User experience positive (check user feedback, support tickets)', 'product'],
          ['Database performance stable', 'infrastructure'],
          ['CPU/Memory utilization normal', 'infrastructure'],
          [
            'Check specific feature usage: (the document\u2019s example: profile links created in the last hour, ' +
              "SELECT COUNT(*) FROM profile_links WHERE created_at > NOW() - INTERVAL '1 hour')",
            'engineering',
          ],
          ['Verify third-party integrations working', 'engineering'],
          ['Check CDN cache hit rate', 'infrastructure'],
        ],
      },
      {
        // Includes the "Additional Monitoring" under the same heading.
        title: 'Validation Checklist (50% traffic)',
        at: stage('canary-50'),
        items: [
          ['Error rate <1%', 'engineering'],
          ['Latency p95 <2s', 'engineering'],
          ['No business-critical issues reported', 'product'],
          ['Database and infrastructure scaling appropriately', 'infrastructure'],
          ['Cost within expected range (check AWS billing)', 'infrastructure'],
          ['Business metrics:', 'product'],
          ['User signups (no drop-off)', 'product'],
          ['Content uploads (normal volume)', 'product'],
          ['Messages sent (normal volume)', 'product'],
          ['Login success rate (>95%)', 'product'],
          ['Monitor for edge cases and unusual patterns', 'engineering'],
        ],
      },
      {
        title: 'Validation Checklist (100% traffic)',
        at: stage('full'),
        items: [
          ['All health checks pass', 'engineering'],
          ['Error rate remains <1%', 'engineering'],
          ['Latency p95 <2s', 'engineering'],
          ['All critical user flows working', 'engineering'],
          ['No spike in support tickets', 'product'],
          ['Business metrics healthy', 'product'],
        ],
      },
      {
        title: 'Post-Rollout Tasks (within 1 hour)',
        at: stage('full'),
        items: [
          ['Confirm deployment in #deployments Slack channel', 'release_owner'],
          ['Update status page (if maintenance)', 'release_owner', { optional: true }],
          ['Send "all clear" to stakeholders', 'release_owner'],
          ['Monitor for 2 hours before signing off', 'release_owner'],
          ['Document any issues encountered', 'release_owner'],
        ],
      },
      {
        // "Immediate (0-15 minutes)" and "Short-term (15-60 minutes)" fall inside the 2 hours of
        // monitoring before sign-off: they belong to the 100% stage. "Long-term (1-24 hours)" comes after.
        title: 'Smoke Tests',
        at: stage('full'),
        items: [
          ['Homepage loads correctly', 'engineering'],
          ['User can log in', 'engineering'],
          ['User can view profile', 'engineering'],
          ['Media assets load from CDN', 'engineering'],
          ['API endpoints respond correctly', 'engineering'],
        ],
      },
      {
        title: 'Critical User Flows',
        at: stage('full'),
        items: [
          ['**Registration**: Create new account', 'engineering'],
          ['**Login**: Log in with test account', 'engineering'],
          ['**Profile**: View and edit profile', 'engineering'],
          ['**Content**: Upload image/video', 'engineering'],
          ['**Social**: Send message, follow user', 'engineering'],
          ['**Search**: Search for users and content', 'engineering'],
        ],
      },
      {
        title: 'Monitoring Dashboard',
        at: stage('full'),
        items: [
          ['Error rates stable (<1%)', 'engineering'],
          ['Latency within SLA (p95 <2s)', 'engineering'],
          ['No memory leaks (stable memory usage)', 'engineering'],
          ['Database connections stable', 'infrastructure'],
          ['Third-party API calls succeeding', 'engineering'],
        ],
      },
      {
        title: 'User Feedback',
        at: stage('full'),
        items: [
          ['Check support channels (email, chat, social media)', 'product'],
          ['Monitor in-app feedback submissions', 'product'],
          ['Review app store ratings/reviews (if mobile)', 'product', { optional: true }],
        ],
      },
      {
        title: 'Full Rollback Checklist',
        at: 'on_rollback',
        items: [
          ['Rollback frontend to previous version', 'infrastructure'],
          ['Rollback backend to previous version', 'infrastructure'],
          ['Rollback database migration (if applicable)', 'infrastructure', { optional: true }],
          ['Clear CDN cache', 'infrastructure'],
          ['Verify services healthy', 'engineering'],
          ['Notify team and stakeholders', 'release_owner'],
          ['Update status page', 'release_owner'],
          ['Post-mortem scheduled', 'release_owner'],
        ],
      },
      {
        title: 'Performance Metrics',
        at: 'after_completion',
        items: [
          ['Response times stable over time', 'engineering'],
          ['Error rate remains low', 'engineering'],
          ['Database query performance stable', 'infrastructure'],
          ['Cost metrics within expected range', 'infrastructure'],
        ],
      },
      {
        title: 'Business Metrics',
        at: 'after_completion',
        items: [
          ['User engagement normal', 'product'],
          ['Conversion rates stable', 'product'],
          ['Retention metrics normal', 'product'],
          ['No unexpected user drop-off', 'product'],
        ],
      },
    ]),
    // No approver is named; Go/No-Go decisions name no roles, so no stage sign-offs either.
    approvalsBeforeStart: [],
    messages: [
      {
        key: 'announcement-internal',
        kind: 'announcement',
        audience: 'internal',
        title: 'Pre-Deployment Announcement (Slack #deployments)',
        body: ANNOUNCEMENT_INTERNAL,
      },
      {
        key: 'announcement-external',
        kind: 'announcement',
        audience: 'external',
        title: 'Pre-Deployment Announcement (Status Page, if user-impacting)',
        body: ANNOUNCEMENT_EXTERNAL,
      },
      {
        key: 'progress-internal',
        kind: 'progress',
        audience: 'internal',
        title: 'Deployment In Progress (every 30 min)',
        // Every 30 minutes while the release runs, not at each ramp.
        on: [],
        everySeconds: 30 * 60,
        body: PROGRESS_INTERNAL,
      },
      {
        key: 'complete-internal',
        kind: 'complete',
        audience: 'internal',
        title: 'Deployment Complete (Slack)',
        // "Monitoring for 2 hours": posted on reaching 100%, when the 2 hours begin.
        on: ['full_traffic'],
        body: COMPLETE_INTERNAL,
      },
      {
        key: 'complete-external',
        kind: 'complete',
        audience: 'external',
        title: 'Deployment Complete (Status Page)',
        body: COMPLETE_EXTERNAL,
      },
      {
        key: 'rollback-internal',
        kind: 'rollback',
        audience: 'internal',
        title: 'Rollback Announcement (Slack)',
        body: ROLLBACK_INTERNAL,
      },
      {
        key: 'rollback-external',
        kind: 'rollback',
        audience: 'external',
        title: 'Rollback Announcement (Status Page)',
        body: ROLLBACK_EXTERNAL,
      },
    ],
    incidentLevels: [
      {
        level: 'P1',
        criteria: [
          'Error rate >5%',
          'Complete service outage',
          'Data corruption/loss',
          'Security vulnerability actively exploited',
          'Database unavailable',
          'Availability (<99.9% triggers P1)',
        ],
        response: 'Immediate Rollback',
      },
      {
        level: 'P2',
        criteria: [
          'Error rate 2-5%',
          'Significant performance degradation (>50% latency increase)',
          'Feature completely broken',
          'High volume of user complaints',
          'Latency (p95 >2s triggers P3, >5s triggers P2)',
          'Database connections (>80% pool triggers P2)',
        ],
        response: 'Considered Rollback',
      },
    ],
    incidentScale: 'P0-P3',
    incidentResponses: [
      {
        kinds: ['incident'],
        severities: ['P0', 'P1'],
        action: 'rollback',
        page: true,
        source:
          `${IMMEDIATE_P1}\n` +
          'Rampart: the document\u2019s levels start at P1; a P0, above it, acts as a P1. The on-call rotation is paged.',
      },
      {
        kinds: ['incident'],
        severities: ['P2'],
        action: 'pause',
        page: false,
        source: `${CONSIDERED_P2}\nRampart: a person decides whether to roll back; the rollout waits paused.`,
      },
      {
        kinds: ['incident'],
        severities: ['P3'],
        action: 'notify',
        page: false,
        source: `${LATENCY_ALERT}\nRampart: P3 appears only as an alert level, with no rollback; it is announced.`,
      },
      { kinds: ['data_integrity'], action: 'rollback', page: true, source: `${IMMEDIATE_P1}\n- Data corruption/loss` },
      { kinds: ['critical_flow'], action: 'pause', page: false, source: `${CONSIDERED_P2}\n- Feature completely broken` },
    ],
    // Emergency Contacts. PagerDuty holds the rotation's names; the document gives roles and team addresses.
    contacts: [
      { role: 'Primary on-call', name: 'Primary on-call (listed in PagerDuty)', onCall: true },
      { role: 'Secondary on-call', name: 'Secondary on-call (listed in PagerDuty)', onCall: true },
      { role: 'Escalation', name: 'Engineering Manager', onCall: true },
      { role: 'DevOps Lead', name: 'DevOps Lead', email: 'devops-lead@valine.app', onCall: false },
      { role: 'Security Team', name: 'Security Team', email: 'security@valine.app', onCall: false },
      { role: 'Product Manager', name: 'Product Manager', email: 'pm@valine.app', onCall: false },
      { role: 'Customer Support', name: 'Customer Support', email: 'support@valine.app', onCall: false },
    ],
    // "**Escalation**: Engineering Manager" gives no time before escalating: the engine's default (15 minutes).
    escalation: { acknowledgeWithinSeconds: 900 },
    windows: [
      {
        days: ['mon', 'tue', 'wed', 'thu'],
        start: '00:00',
        end: '23:59',
        timeZone: 'UTC',
        ramps: false,
        source:
          '- Deploy on Fridays or before holidays\n- Deploy during low-traffic hours (avoid peak times)\n' +
          'Rampart: no Friday, Saturday or Sunday start (the document says nothing of weekends; a Monday start keeps ' +
          'the canary inside the working week). The document gives no hours, so the whole day (to 23:59, UTC as in ' +
          'its templates) is open and low-traffic hours stay a before-start item. Ramps are not held: a running canary ' +
          'finishes its stages, and rollback is never held.',
      },
    ],
    // "Immediate Rollback (P1)" and the stage ROLLBACK decisions → autoRollback; "Considered Rollback
    // (P2)" → autoPause, a person decides. Each stage ends in a Go/No-Go decision: never auto-advance.
    // autoComplete: "Monitor for 2 hours before signing off": a person signs off after the watch.
    automation: { autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false },
  },
};
