// Seed 002: staging deployment and canary rollout on Vercel (10% → 25% → 50% → 75% → 100%).
// Conventions as in pharmacy-canary.ts (sources, warn success criteria, minRequests derived by the engine
// for error rates, 20 for P95). "Response time" is read as P95 latency.
import type { TBuiltInPlaybook } from '../built-in.js';
import { buildChecklist, stage } from './author.js';

const TRIGGERS = '### Trigger Conditions';
const SMS = '- [ ] SMS alerts (critical)';

export const vercelStagingCanaryPlaybook: TBuiltInPlaybook = {
  key: 'vercel-staging-canary',
  name: 'Vercel staging & canary rollout',
  description:
    'Pre-deployment checks on staging, a 10% canary, then 25% (15 minutes), 50% (30 minutes), 75% (1 hour) ' +
    'and 100%. Rolls back when the error rate exceeds 5% or response time exceeds twice the baseline.',
  sourceDocument: 'docs/seeds/002_a2936117574c995a.md',
  spec: {
    // The document prepares and tests staging before deploying but has no staging stage with traffic of
    // its own: staging work is in the pre-deployment checklist. Each "Monitor for" follows its increase.
    stages: [
      {
        key: 'canary-10',
        name: 'Canary 10%',
        trafficPercent: 10,
        minBakeSeconds: 0,
        source: '### 1. Canary Deployment (10% traffic)\nRampart: no duration given.',
      },
      {
        key: 'ramp-25',
        name: 'Rollout 25%',
        trafficPercent: 25,
        minBakeSeconds: 15 * 60,
        source: '- [ ] Increase traffic to 25%\n- [ ] Monitor for 15 minutes',
      },
      {
        key: 'ramp-50',
        name: 'Rollout 50%',
        trafficPercent: 50,
        minBakeSeconds: 30 * 60,
        source: '- [ ] Increase traffic to 50%\n- [ ] Monitor for 30 minutes',
      },
      {
        key: 'ramp-75',
        name: 'Rollout 75%',
        trafficPercent: 75,
        minBakeSeconds: 3600,
        source: '- [ ] Increase traffic to 75%\n- [ ] Monitor for 1 hour',
      },
      {
        key: 'full',
        name: 'Full rollout',
        trafficPercent: 100,
        minBakeSeconds: 0,
        source: '- [ ] Increase traffic to 100%\n### 3. Full Rollout',
      },
    ],
    gates: [
      {
        key: 'error-rate-above-5pct',
        name: 'Error rate above 5%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.05,
        sustainSeconds: 0,
        severity: 'rollback',
        source: '- [ ] Error rate exceeds 5%\n- [ ] Error rate > 5% (critical)',
      },
      {
        key: 'response-time-2x-baseline',
        name: 'Response time above twice the baseline',
        kind: 'baseline_ratio',
        metric: 'latency_p95_ms',
        worseWhen: 'higher',
        maxRatio: 2,
        sustainSeconds: 0,
        severity: 'rollback',
        source: '- [ ] Response time exceeds 2x baseline',
      },
      {
        key: 'error-rate-above-1pct',
        name: 'Error rate above 1% (warning)',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.01,
        sustainSeconds: 0,
        severity: 'warn',
        source: '- [ ] Error rate > 1% (warning)',
      },
      {
        key: 'response-time-above-200ms',
        name: 'Response time above 200 ms (warning)',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 200,
        sustainSeconds: 0,
        severity: 'warn',
        source: '- [ ] Response time > 200ms (warning)',
      },
      {
        // A critical alert that is not among the rollback triggers: pause for a person to decide.
        key: 'response-time-above-500ms',
        name: 'Response time above 500 ms (critical)',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 500,
        sustainSeconds: 0,
        severity: 'pause',
        source: '- [ ] Response time > 500ms (critical)',
      },
    ],
    // Trigger Conditions are gates and incident responses, not tasks. Rollback Steps and Rollback Verification
    // are the rollback procedure.
    checklist: buildChecklist([
      {
        title: 'Code Quality',
        at: 'before_start',
        items: [
          ['All unit tests passing', 'engineering'],
          ['All integration tests passing', 'engineering'],
          ['Code linting completed with no errors', 'engineering'],
          ['Security audit completed', 'security'],
          ['TypeScript compilation successful', 'engineering'],
          ['No uncommitted changes', 'engineering'],
        ],
      },
      {
        title: 'Environment Preparation',
        at: 'before_start',
        items: [
          ['Staging environment variables configured', 'infrastructure'],
          ['Database migrations applied to staging', 'infrastructure'],
          ['Redis cache cleared', 'infrastructure'],
          ['CDN cache invalidated', 'infrastructure'],
          ['Third-party service keys verified', 'security'],
        ],
      },
      {
        title: 'Testing',
        at: 'before_start',
        items: [
          ['Health check endpoints functional', 'engineering'],
          ['API endpoints tested', 'engineering'],
          ['UI components rendering correctly', 'engineering'],
          ['Authentication flows working', 'engineering'],
          ['Payment processing tested', 'engineering'],
          ['Real-time features verified', 'engineering'],
        ],
      },
      {
        title: '1. Canary Deployment (10% traffic)',
        at: stage('canary-10'),
        items: [
          ['Deploy to canary environment', 'release_owner'],
          ['Verify deployment health', 'engineering'],
          ['Monitor error rates', 'release_owner'],
          ['Check performance metrics', 'release_owner'],
          ['Validate user flows', 'engineering'],
        ],
      },
      {
        title: '2. Gradual Rollout',
        at: stage('ramp-25'),
        items: [
          ['Increase traffic to 25%', 'release_owner'],
          ['Monitor for 15 minutes', 'release_owner'],
          ['Increase traffic to 50%', 'release_owner', { at: stage('ramp-50') }],
          ['Monitor for 30 minutes', 'release_owner', { at: stage('ramp-50') }],
          ['Increase traffic to 75%', 'release_owner', { at: stage('ramp-75') }],
          ['Monitor for 1 hour', 'release_owner', { at: stage('ramp-75') }],
          ['Increase traffic to 100%', 'release_owner', { at: stage('full') }],
        ],
      },
      {
        title: '3. Full Rollout',
        at: stage('full'),
        items: [
          ['Promote canary to production', 'release_owner'],
          ['Update DNS records', 'infrastructure'],
          ['Verify SSL certificates', 'infrastructure'],
          ['Test all critical user flows', 'engineering'],
          ['Monitor application performance', 'release_owner'],
        ],
      },
      {
        title: 'Health Checks',
        at: 'after_completion',
        items: [
          ['Application health endpoint responsive', 'engineering'],
          ['Database connections stable', 'infrastructure'],
          ['Redis connections stable', 'infrastructure'],
          ['Third-party service integrations working', 'engineering'],
          ['Real-time features functional', 'engineering'],
        ],
      },
      {
        title: 'Performance Monitoring',
        at: 'after_completion',
        items: [
          ['Response times within acceptable range', 'engineering'],
          ['Error rates below threshold', 'engineering'],
          ['Database query performance', 'infrastructure'],
          ['Memory usage stable', 'infrastructure'],
          ['CPU usage within limits', 'infrastructure'],
        ],
      },
      {
        title: 'User Experience',
        at: 'after_completion',
        items: [
          ['Critical user flows working', 'product'],
          ['UI rendering correctly', 'product'],
          ['No broken links or assets', 'product'],
          ['Authentication working', 'engineering'],
          ['Payments processing', 'product'],
        ],
      },
      {
        // Monitoring and alerting must be in place before the canary takes traffic.
        title: 'Real-time Monitoring',
        at: 'before_start',
        items: [
          ['Application performance dashboard', 'infrastructure'],
          ['Error tracking system', 'infrastructure'],
          ['Infrastructure monitoring', 'infrastructure'],
          ['User experience monitoring', 'infrastructure'],
          ['Business metrics tracking', 'product'],
        ],
      },
      {
        // Alerts configured in the team's own monitoring; the numeric ones are also Rampart gates.
        title: 'Alerting Thresholds',
        at: 'before_start',
        items: [
          ['Error rate > 1% (warning)', 'infrastructure'],
          ['Error rate > 5% (critical)', 'infrastructure'],
          ['Response time > 200ms (warning)', 'infrastructure'],
          ['Response time > 500ms (critical)', 'infrastructure'],
          ['Database errors (critical)', 'infrastructure'],
          ['Redis connectivity issues (critical)', 'infrastructure'],
        ],
      },
      {
        // Whom to inform: informed when the deployment starts.
        title: 'Stakeholders',
        at: 'before_start',
        items: [
          ['Development team', 'release_owner'],
          ['Operations team', 'release_owner'],
          ['Product team', 'release_owner'],
          ['Customer support', 'release_owner'],
          ['Executive team', 'release_owner'],
        ],
      },
      {
        title: 'Notification Channels',
        at: 'before_start',
        items: [
          ['Slack channels', 'release_owner'],
          ['Email alerts', 'infrastructure'],
          // Used for critical alerts only.
          ['SMS alerts (critical)', 'infrastructure', { optional: true }],
          ['Status page updates', 'release_owner'],
          ['Customer notifications (if needed)', 'product', { optional: true }],
        ],
      },
      {
        title: 'Rollback Steps',
        at: 'on_rollback',
        items: [
          ['Halt deployment', 'release_owner'],
          ['Identify root cause', 'engineering'],
          ['Execute rollback script', 'infrastructure'],
          ['Verify rollback success', 'infrastructure'],
          ['Monitor post-rollback health', 'release_owner'],
          ['Communicate status to stakeholders', 'release_owner'],
        ],
      },
      {
        title: 'Rollback Verification',
        at: 'on_rollback',
        items: [
          ['Previous version deployed', 'infrastructure'],
          ['Application health verified', 'engineering'],
          ['User flows tested', 'engineering'],
          ['Performance metrics restored', 'engineering'],
          ['Error rates normalized', 'engineering'],
        ],
      },
      {
        title: 'Documentation',
        at: 'after_completion',
        items: [
          ['Update deployment documentation', 'engineering'],
          ['Record deployment metrics', 'release_owner'],
          ['Document any issues encountered', 'release_owner'],
          ['Update runbooks if needed', 'engineering', { optional: true }],
          ['Share learnings with team', 'release_owner'],
        ],
      },
      {
        title: 'Cleanup',
        at: 'after_completion',
        items: [
          ['Remove temporary debugging code', 'engineering'],
          ['Clean up old deployment artifacts', 'infrastructure'],
          ['Update environment configurations', 'infrastructure'],
          ['Rotate any temporary credentials', 'security'],
          ['Archive deployment logs', 'infrastructure'],
        ],
      },
    ]),
    // The document names no approvers.
    approvalsBeforeStart: [],
    // No templates in the document: Rampart defaults for "Communicate status to stakeholders", and for the
    // "Status page updates" channel texts that name the service and nothing internal.
    messages: [
      {
        key: 'announcement',
        kind: 'announcement',
        audience: 'internal',
        title: 'Deployment starting (Rampart default)',
        body:
          '🚀 Canary rollout of {{service}} {{version}} starting\n\n' +
          'Plan: 10% → 25% (15 min) → 50% (30 min) → 75% (1 hour) → 100%\nOwner: {{owner}}\nChanges: {{notes}}\n\n' +
          'Details: {{releaseUrl}}',
      },
      {
        key: 'announcement-external',
        kind: 'announcement',
        audience: 'external',
        title: 'Status page: deployment started (Rampart default)',
        body:
          'Deployment in progress: {{service}}\n\n' +
          'We are rolling out a new version of {{service}} gradually, starting {{startedAt}}. No impact is expected.\n\n' +
          'Last updated: {{now}}',
      },
      {
        key: 'progress',
        kind: 'progress',
        audience: 'internal',
        title: 'Deployment status (Rampart default)',
        body:
          '📊 {{service}} {{version}}: {{stage}} at {{percent}}% (applied: {{acknowledgedPercent}}%)\n\n' +
          'Health: {{health}}\nError rate: {{errorRate}} (baseline: {{baselineErrorRate}})\n' +
          'Response time (P95): {{latencyP95}} (baseline: {{baselineLatencyP95}})\nIssues: {{issues}}\n\n' +
          'Next: {{nextStage}} ({{nextPercent}}%)',
      },
      {
        key: 'complete',
        kind: 'complete',
        audience: 'internal',
        title: 'Deployment complete (Rampart default)',
        body:
          '✅ {{service}} {{version}} is promoted to production ({{finishedAt}}).\n\n' +
          'Health: {{health}}\nIssues: {{issues}}\n\nDetails: {{releaseUrl}}',
      },
      {
        key: 'complete-external',
        kind: 'complete',
        audience: 'external',
        title: 'Status page: deployment complete (Rampart default)',
        body: 'Completed: {{service}} deployment\n\nThe new version of {{service}} is live. All systems operational.\n\nLast updated: {{now}}',
      },
      {
        key: 'rollback',
        kind: 'rollback',
        audience: 'internal',
        title: 'Rollback status (Rampart default)',
        body:
          '🔴 Deployment of {{service}} {{version}} halted and rolled back to {{previousVersion}}\n\n' +
          'Reason: {{reason}}\nState: {{state}}\nIssues: {{issues}}\n\n' +
          'Root cause under investigation. Contacts: {{contacts}}\nDetails: {{releaseUrl}}',
      },
      {
        key: 'rollback-external',
        kind: 'rollback',
        audience: 'external',
        title: 'Status page: rollback (Rampart default)',
        body:
          'Investigating: {{service}}\n\n' +
          'We halted a deployment of {{service}} and are returning to the previous version. We will update you shortly.\n\n' +
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
          'Release: {{state}} at {{percent}}%\nOn call: {{onCall}}\n\nDetails: {{releaseUrl}}',
      },
    ],
    // The trigger conditions that are not metrics, reported by people as problems of their kind; critical, so the
    // emergency contacts are paged ("SMS alerts (critical)"). The document has no severity scale: rules go by kind.
    incidentResponses: [
      { kinds: ['critical_flow'], action: 'rollback', page: true, source: `${TRIGGERS}\n- [ ] Critical functionality broken\n${SMS}` },
      { kinds: ['data_integrity'], action: 'rollback', page: true, source: `${TRIGGERS}\n- [ ] Data integrity issues detected\n${SMS}` },
      { kinds: ['security'], action: 'rollback', page: true, source: `${TRIGGERS}\n- [ ] Security vulnerabilities discovered\n${SMS}` },
    ],
    // "[Name, Phone, Email]" and "[Contact Information]" are blanks in the document: the roles stand in for names
    // until a release names the people. The primary contacts are the emergency (on-call) ones, paged in this order.
    contacts: [
      { role: 'Deployment Lead', name: 'Deployment lead (to be named)', onCall: true },
      { role: 'Operations Lead', name: 'Operations lead (to be named)', onCall: true },
      { role: 'Security Lead', name: 'Security lead (to be named)', onCall: true },
      { role: 'Vercel Support', name: 'Vercel Support (contact to be added)', onCall: false },
      { role: 'Database Provider', name: 'Database provider (contact to be added)', onCall: false },
      { role: 'Third-party Services', name: 'Third-party services (contacts to be added)', onCall: false },
    ],
    // The trigger conditions are rules with numbers: Rampart rolls back on them itself; the critical
    // 500 ms alert pauses. Traffic increases stay a person's decision. autoComplete: the full rollout ends with
    // "Test all critical user flows" and no duration: the owner completes it.
    automation: { autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false },
  },
};
