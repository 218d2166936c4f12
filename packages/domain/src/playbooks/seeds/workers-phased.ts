// Seed 003: the Spring Rate Calculator backend on Cloudflare Workers (staging → 10% → 50% → 100%).
// Conventions as in pharmacy-canary.ts (sources, warn success criteria, minRequests derived by the engine
// for error rates, 20 for P95). Alert table: Warning/Investigate → warn, Critical/Consider rollback
// or Immediate action → pause, Critical/Rollback and "Automatic rollback" → rollback.
// Staging takes no production traffic: its criteria are checked by hand (Performance validation
// items), so the metric gates judge the production stages only.
import type { TBuiltInPlaybook } from '../built-in.js';
import { buildChecklist, stage } from './author.js';

const PRODUCTION = ['canary-10', 'partial-50', 'full'];
/** Phase 1's rollback thresholds, which Phase 2 keeps ("Same as Phase 1, plus"); Phase 3 asks a higher bar. */
const AUTO_ROLLBACK_STAGES = ['canary-10', 'partial-50'];
const AUTO_ROLLBACK = '**Automatic rollback** if:\nSame as Phase 1, plus:';

/** Each severity level's response, as the document's Incident Response gives it. */
const RESPONSES = {
  P0: 'Immediate rollback + all-hands',
  P1: 'Rollback if not resolved in 15 minutes',
  P2: 'Investigate, may rollback',
  P3: 'Monitor, fix in next release',
} as const;
const response = (level: keyof typeof RESPONSES) => `- **Response:** ${RESPONSES[level]}`;

// The document's templates with its placeholders replaced by Rampart variables. "Actions: [What we're doing]"
// is the level's response from Severity Levels ({{severityResponse}} of the template's own severity), so each
// level's template says what happens at that level.
function template(lines: string[]): string {
  return lines.join('\n');
}
const INCIDENT_INTERNAL = template([
  '🚨 Incident: {{incident}}',
  'Severity: {{severity}}',
  'Start time: {{incidentStartedAt}}',
  'Impact: {{service}} {{version}} on {{percent}}% of production traffic ({{health}}); failing checks: {{issues}}',
  'Status: {{incidentStatus}}',
  'Actions: {{severityResponse}} (release: {{state}}; handled by {{incidentHandler}})',
]);
// Public: the incident's title and detail are private, so the status page names the service only.
const INCIDENT_EXTERNAL = template([
  "We're investigating reports of problems with {{service}}.",
  "Our team is working on a fix and we'll update as soon as possible.",
  'Last updated: {{now}}',
]);
const MANUAL = '**Manual rollback** if:';

export const workersPhasedPlaybook: TBuiltInPlaybook = {
  key: 'workers-phased',
  name: 'Spring Rate Calculator phased rollout (Workers)',
  description:
    'Phased rollout of backend changes to the Spring Rate Calculator on Cloudflare Workers: staging until all ' +
    'checks pass, 10% for at least 2 hours, 50% for at least 4 hours, 100% for 24 hours. Engineering Lead and ' +
    'Product Owner decide go/no-go after staging; automatic rollback above 1% errors, 2000 ms P95 or 2 minutes of failing health checks.',
  sourceDocument: 'docs/seeds/003_3d4c270bfca6fb6f.md',
  spec: {
    stages: [
      {
        key: 'staging',
        name: 'Staging',
        trafficPercent: 0,
        minBakeSeconds: 0,
        source: '### Phase 0: Staging Deployment\n**Duration:** Until all checks pass\n**Traffic:** 0% production',
      },
      {
        key: 'canary-10',
        name: 'Canary 10%',
        trafficPercent: 10,
        minBakeSeconds: 2 * 3600,
        // Sign-off to ramp into the canary: Phase 0's go/no-go. "Engineering Lead" → engineering,
        // "Product Owner" → product ("Team approval obtained" is the engineering one too).
        signoff: [
          { role: 'engineering', count: 1 },
          { role: 'product', count: 1 },
        ],
        source:
          '### Phase 1: Canary Deployment (10%)\n**Duration:** 2 hours minimum\n**Traffic:** 10% of production users\n' +
          '**Go/No-Go Decision:** Engineering Lead + Product Owner\n' +
          'Rampart: the go/no-go closes Phase 0, so it is the sign-off needed to ramp into this stage.',
      },
      {
        key: 'partial-50',
        name: 'Partial 50%',
        trafficPercent: 50,
        minBakeSeconds: 4 * 3600,
        source: '### Phase 2: Partial Deployment (50%)\n**Duration:** 4 hours minimum\n**Traffic:** 50% of production users',
      },
      {
        key: 'full',
        name: 'Full 100%',
        trafficPercent: 100,
        minBakeSeconds: 24 * 3600,
        source: '### Phase 3: Full Deployment (100%)\n**Duration:** 24 hours minimum\n**Traffic:** 100% of production users',
      },
    ],
    gates: [
      // Success criteria ("Each phase must meet these criteria before advancing"): warn.
      {
        key: 'error-rate-below-0-1pct',
        name: 'Error rate < 0.1%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.001,
        sustainSeconds: 0,
        severity: 'warn',
        stages: PRODUCTION,
        source:
          'Each phase must meet these criteria before advancing:\n- ✅ Error rate < 0.1%\n- ✅ 24 hours with error rate < 0.1%',
      },
      {
        key: 'latency-p95-below-500ms',
        name: 'P95 latency < 500ms',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 500,
        sustainSeconds: 0,
        severity: 'warn',
        stages: PRODUCTION,
        source: 'Each phase must meet these criteria before advancing:\n- ✅ P95 latency < 500ms',
      },
      {
        key: 'health-checks-passing',
        name: 'All health checks passing',
        kind: 'consecutive_failures',
        metric: 'health_ok',
        failures: 1,
        sustainSeconds: 0,
        severity: 'warn',
        stages: PRODUCTION,
        source: '- ✅ All health checks passing\n- ✅ Health checks passing',
      },
      {
        key: 'error-rate-sequential',
        name: 'Canary error rate not worse than control group (sequential test)',
        kind: 'sequential',
        metric: 'error_rate',
        alpha: 0.01,
        severity: 'pause',
        stages: PRODUCTION,
        source:
          '- ✅ Error rate < 0.1% (compared to control group)\n' +
          'Rampart: a statistical canary-vs-control comparison that stays valid when watched continuously; it pauses.',
      },
      // Key metrics table and Phase 1's "Watch for alerts".
      {
        key: 'error-rate-above-0-5pct',
        name: 'Error rate > 0.5% (warning)',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.005,
        sustainSeconds: 0,
        severity: 'warn',
        stages: PRODUCTION,
        source: '| Error Rate | > 0.5% | Warning | Investigate |\n- Error rate spike (>0.5%)',
      },
      {
        key: 'error-rate-above-1pct',
        name: 'Error rate > 1% (critical)',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.01,
        sustainSeconds: 0,
        severity: 'pause',
        stages: PRODUCTION,
        source: '| Error Rate | > 1% | Critical | Consider rollback |\n- Error rate 1-5%\n- **Response:** Investigate, may rollback',
      },
      {
        key: 'latency-p95-above-1000ms',
        name: 'P95 latency > 1000ms (warning)',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 1000,
        sustainSeconds: 0,
        severity: 'warn',
        stages: PRODUCTION,
        source: '| P95 Latency | > 1000ms | Warning | Investigate |\n- Latency degradation (>1000ms P95)',
      },
      {
        key: 'latency-p95-above-2000ms',
        name: 'P95 latency > 2000ms (critical)',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 2000,
        sustainSeconds: 0,
        severity: 'pause',
        stages: PRODUCTION,
        source: '| P95 Latency | > 2000ms | Critical | Consider rollback |',
      },
      {
        key: 'health-2-consecutive-failures',
        name: 'Health check: 2 consecutive failures (warning)',
        kind: 'consecutive_failures',
        metric: 'health_ok',
        failures: 2,
        sustainSeconds: 0,
        severity: 'warn',
        stages: PRODUCTION,
        source: '| Health Check | 2 consecutive failures | Warning | Investigate |',
      },
      {
        key: 'health-3-consecutive-failures',
        name: 'Health check: 3 consecutive failures (rollback)',
        kind: 'consecutive_failures',
        metric: 'health_ok',
        failures: 3,
        sustainSeconds: 0,
        severity: 'rollback',
        stages: PRODUCTION,
        source: '| Health Check | 3 consecutive failures | Critical | Rollback |',
      },
      {
        // A count per minute: the deploy tooling reports it as its own metric (Rampart's `errors` is per window).
        key: 'http-5xx-above-5-per-minute',
        name: '5xx errors > 5/minute (warning)',
        kind: 'threshold',
        metric: 'http_5xx_per_minute',
        comparator: 'above',
        value: 5,
        sustainSeconds: 0,
        severity: 'warn',
        stages: PRODUCTION,
        source: '| 5xx Errors | > 5/minute | Warning | Investigate |',
      },
      {
        // "Immediate action" is not "Rollback": pause and let a person act.
        key: 'http-5xx-above-20-per-minute',
        name: '5xx errors > 20/minute (critical)',
        kind: 'threshold',
        metric: 'http_5xx_per_minute',
        comparator: 'above',
        value: 20,
        sustainSeconds: 0,
        severity: 'pause',
        stages: PRODUCTION,
        source: '| 5xx Errors | > 20/minute | Critical | Immediate action |',
      },
      // Phase 1 (and 2) automatic rollback.
      {
        key: 'auto-rollback-error-rate-1pct',
        name: 'Automatic rollback: error rate > 1%',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.01,
        sustainSeconds: 0,
        severity: 'rollback',
        stages: AUTO_ROLLBACK_STAGES,
        source: `${AUTO_ROLLBACK}\n- Error rate > 1%`,
      },
      {
        key: 'auto-rollback-latency-p95-2000ms',
        name: 'Automatic rollback: P95 latency > 2000ms',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 2000,
        sustainSeconds: 0,
        severity: 'rollback',
        stages: AUTO_ROLLBACK_STAGES,
        source: `${AUTO_ROLLBACK}\n- P95 latency > 2000ms`,
      },
      {
        key: 'auto-rollback-health-failing-2min',
        name: 'Automatic rollback: health check fails for > 2 minutes',
        kind: 'consecutive_failures',
        metric: 'health_ok',
        failingForSeconds: 120,
        sustainSeconds: 0,
        severity: 'rollback',
        stages: AUTO_ROLLBACK_STAGES,
        source: `${AUTO_ROLLBACK}\n- Health check fails for > 2 minutes`,
      },
      // P1 incidents: "Rollback if not resolved in 15 minutes" (every production stage).
      {
        key: 'p1-error-rate-5pct-15min',
        name: 'P1: error rate > 5% unresolved for 15 minutes',
        kind: 'threshold',
        metric: 'error_rate',
        comparator: 'above',
        value: 0.05,
        sustainSeconds: 15 * 60,
        severity: 'rollback',
        stages: PRODUCTION,
        source: '**P1 (High):**\n- Error rate > 5%\n- **Response:** Rollback if not resolved in 15 minutes',
      },
      {
        key: 'p1-latency-p95-5000ms-15min',
        name: 'P1: P95 latency > 5000ms unresolved for 15 minutes',
        kind: 'threshold',
        metric: 'latency_p95_ms',
        comparator: 'above',
        value: 5000,
        sustainSeconds: 15 * 60,
        severity: 'rollback',
        stages: PRODUCTION,
        source: '**P1 (High):**\n- P95 latency > 5000ms\n- **Response:** Rollback if not resolved in 15 minutes',
      },
    ],
    // Phase 1's "Monitor key metrics"/"Watch for alerts" lists are gates; Manual Rollback and Database Rollback
    // are the rollback procedure; Document Maintenance is about the document itself.
    checklist: buildChecklist([
      {
        title: 'Code Quality Gates',
        at: 'before_start',
        items: [
          ['All tests passing (unit + integration + e2e)', 'engineering'],
          // A pull-request review in the code host before the release exists, not a sign-off on this
          // release: a checklist item, not two engineering approvals.
          ['Code review approved by 2+ engineers', 'engineering'],
          ['Security scan (CodeQL) shows no new vulnerabilities', 'security'],
          ['Linter checks passing (Biome)', 'engineering'],
          ['Test coverage ≥ 80%', 'engineering'],
          ['Breaking API changes documented', 'engineering'],
        ],
      },
      {
        title: 'Infrastructure Readiness',
        at: 'before_start',
        items: [
          // Staging is Phase 0 of the rollout itself, so these two are done in the staging stage.
          ['Staging environment deployed and validated', 'infrastructure', { at: stage('staging') }],
          ['Database migrations tested on staging', 'infrastructure', { at: stage('staging') }],
          ['Rollback plan documented and rehearsed', 'infrastructure'],
          ['Monitoring dashboards configured', 'infrastructure'],
          ['Alert thresholds defined', 'infrastructure'],
          ['On-call engineer assigned', 'release_owner'],
        ],
      },
      {
        title: 'Documentation',
        at: 'before_start',
        items: [
          ['CHANGELOG.md updated', 'engineering'],
          ['API contract changes documented', 'engineering'],
          ['Deployment notes prepared', 'release_owner'],
          ['Rollback steps verified', 'infrastructure'],
          ['Customer communication drafted (if user-facing)', 'product', { optional: true }],
        ],
      },
      {
        // Run against the staging deployment (Phase 0 runs the integration tests against staging).
        title: 'Validation Tests',
        at: stage('staging'),
        items: [
          ['Health check endpoint responds (GET /health)', 'engineering'],
          ['CRUD operations validated', 'engineering'],
          ['Create calculation (POST /api/calculations)', 'engineering'],
          ['Read calculations (GET /api/calculations)', 'engineering'],
          ['Update calculation (PUT /api/calculations/:id)', 'engineering'],
          ['Delete calculation (DELETE /api/calculations/:id)', 'engineering'],
          ['Sync operations tested', 'engineering'],
          ['Client-to-server sync', 'engineering'],
          ['Server-to-client sync', 'engineering'],
          ['Conflict resolution', 'engineering'],
          ['Auth/session boundaries validated', 'security'],
          ['Unauthorized access blocked (401)', 'security'],
          ['Session expiry handled', 'security'],
          ['Token refresh works', 'security'],
        ],
      },
      {
        title: 'Phase 0: Staging Deployment › Actions',
        at: stage('staging'),
        items: [
          ['Load application in browser', 'engineering'],
          ['Verify service worker registration', 'engineering'],
          ['Test CRUD operations', 'engineering'],
          ['Test offline functionality', 'engineering'],
          ['Verify sync behavior', 'engineering'],
          ['Run load tests (target: 100 req/s for 5 minutes)', 'engineering'],
          ['Verify P95 latency < 500ms', 'engineering'],
          ['Check error rate < 0.1%', 'engineering'],
        ],
      },
      {
        title: 'Phase 0: Staging Deployment › Exit Criteria',
        at: stage('staging'),
        items: [
          ['All automated tests passing', 'engineering'],
          ['Manual smoke tests completed', 'engineering'],
          ['Performance metrics within SLOs', 'engineering'],
          ['Security scan clean', 'security'],
          ['Team approval obtained', 'engineering'],
        ],
      },
      {
        title: 'Phase 2: Partial Deployment (50%) › Actions',
        at: stage('partial-50'),
        items: [
          ['Watch metrics for 1 hour', 'release_owner'],
          ['Review logs for patterns', 'engineering'],
          ['Check for edge cases', 'engineering'],
          ['Monitor user feedback channels', 'product'],
          ['Database load patterns', 'infrastructure'],
          ['Sync performance with higher concurrency', 'engineering'],
          ['Cache hit rates', 'infrastructure'],
          ['API rate limiting', 'infrastructure'],
        ],
      },
      {
        title: 'Phase 3: Full Deployment (100%) › Actions',
        at: stage('full'),
        items: [
          ['Watch for delayed issues', 'release_owner'],
          ['Monitor cost/usage patterns', 'infrastructure'],
          ['Check for capacity issues', 'infrastructure'],
          ['Review user feedback', 'product'],
          ['Update production documentation', 'engineering', { at: 'after_completion' }],
          ['Archive old deployment', 'infrastructure', { at: 'after_completion' }],
          ['Clean up staging resources', 'infrastructure', { at: 'after_completion' }],
          ['Schedule post-mortem (if issues occurred)', 'release_owner', { at: 'after_completion', optional: true }],
        ],
      },
      {
        // 0–24 hours after reaching 100%: inside the 24-hour full stage, before completion.
        title: 'Immediate Checks (0-1 hour)',
        at: stage('full'),
        items: [
          ['Health check endpoint responding', 'engineering'],
          ['Error rate within normal range', 'engineering'],
          ['Latency metrics stable', 'engineering'],
          ['No alerts firing', 'engineering'],
          ['User reports reviewed', 'product'],
        ],
      },
      {
        title: 'Short-term Validation (1-24 hours)',
        at: stage('full'),
        items: [
          ['Performance trends stable', 'engineering'],
          ['No memory leaks detected', 'engineering'],
          ['Database performance normal', 'infrastructure'],
          ['Sync operations working', 'engineering'],
          ['Client-side errors reviewed', 'engineering'],
        ],
      },
      {
        title: 'Long-term Monitoring (1-7 days)',
        at: 'after_completion',
        items: [
          ['Usage patterns analyzed', 'product'],
          ['Cost/resource utilization reviewed', 'infrastructure'],
          ['User feedback sentiment', 'product'],
          ['Edge cases investigated', 'engineering'],
          ['Performance optimization opportunities identified', 'engineering'],
        ],
      },
      {
        // Automatic rollback runs `wrangler rollback` through the deploy tooling; these are the people's steps.
        title: 'Manual Rollback',
        at: 'on_rollback',
        items: [
          [
            '**Stop traffic to new version:** `wrangler rollback` (or `wrangler rollback --version <deployment-id>`)',
            'infrastructure',
          ],
          ['**Verify rollback:** `/health` answers, with the previous version (`jq .version`)', 'engineering'],
          ['Watch error rates return to normal', 'engineering'],
          ['Verify latency improvements', 'engineering'],
          ['Check user reports', 'product'],
          ['Confirm health checks passing', 'engineering'],
          ['Notify team in Slack #deployments', 'release_owner'],
          ['Update status page (if user-facing)', 'release_owner', { optional: true }],
          ['Document incident in runbook', 'release_owner'],
        ],
      },
      {
        // "For future backend with D1": only once the backend has a D1 database.
        title: 'Database Rollback',
        at: 'on_rollback',
        items: [
          [
            'Rollback migration (for the future backend with D1): `wrangler d1 migrations rollback <database-name> --version <version>`',
            'infrastructure',
            { optional: true },
          ],
          [
            'Verify schema (for the future backend with D1): `wrangler d1 execute <database-name> --command="SELECT * FROM migrations"`',
            'infrastructure',
            { optional: true },
          ],
        ],
      },
      {
        title: 'Pre-Flight',
        at: 'before_start',
        items: [
          ['All tests passing', 'engineering'],
          ['Code review approved', 'engineering'],
          ['Security scan clean', 'security'],
          ['Documentation updated', 'engineering'],
          ['On-call assigned', 'release_owner'],
          ['Rollback plan ready', 'infrastructure'],
        ],
      },
      {
        title: 'Staging',
        at: stage('staging'),
        items: [
          ['Deploy to staging', 'release_owner'],
          ['Run smoke tests', 'engineering'],
          ['Performance validation', 'engineering'],
          ['Team approval', 'engineering'],
        ],
      },
      {
        title: 'Canary (10%)',
        at: stage('canary-10'),
        items: [
          ['Deploy to 10%', 'release_owner'],
          ['Monitor for 2 hours', 'release_owner'],
          ['All metrics green', 'release_owner'],
          ['No rollback triggers', 'release_owner'],
        ],
      },
      {
        title: 'Partial (50%)',
        at: stage('partial-50'),
        items: [
          ['Deploy to 50%', 'release_owner'],
          ['Monitor for 4 hours', 'release_owner'],
          ['Stable performance', 'engineering'],
          ['No user complaints', 'product'],
        ],
      },
      {
        title: 'Full (100%)',
        at: stage('full'),
        items: [
          ['Deploy to 100%', 'release_owner'],
          ['Monitor for 24 hours', 'release_owner'],
          ['Update docs', 'engineering', { at: 'after_completion' }],
          ['Post-mortem (if needed)', 'release_owner', { at: 'after_completion', optional: true }],
        ],
      },
    ]),
    // "Code review approved by 2+ engineers" is a checklist item (see above); no approver is named.
    approvalsBeforeStart: [],
    messages: [
      ...(['P0', 'P1', 'P2', 'P3'] as const).map((severity) => ({
        key: `incident-internal-${severity.toLowerCase()}`,
        kind: 'incident' as const,
        audience: 'internal' as const,
        title: `Incident ${severity} (Slack #incidents)`,
        severity,
        body: INCIDENT_INTERNAL,
      })),
      {
        key: 'incident-external',
        kind: 'incident',
        audience: 'external',
        title: 'Incident (status page)',
        body: INCIDENT_EXTERNAL,
      },
    ],
    incidentLevels: [
      {
        level: 'P0',
        criteria: ['Application completely unavailable', 'Data loss or corruption', 'Security breach'],
        response: RESPONSES.P0,
      },
      {
        level: 'P1',
        criteria: ['Significant feature degradation', 'Error rate > 5%', 'P95 latency > 5000ms'],
        response: RESPONSES.P1,
      },
      {
        level: 'P2',
        criteria: ['Minor feature degradation', 'Error rate 1-5%', 'Specific user segments affected'],
        response: RESPONSES.P2,
      },
      {
        level: 'P3',
        criteria: ['Performance regression', 'Non-critical bugs', 'Edge case failures'],
        response: RESPONSES.P3,
      },
    ],
    incidentScale: 'P0-P3',
    incidentResponses: [
      {
        kinds: ['incident'],
        severities: ['P0'],
        action: 'rollback',
        page: true,
        source: `**P0 (Critical):**\n${response('P0')}\nRampart: "all-hands" pages the on-call engineer, who escalates.`,
      },
      {
        kinds: ['incident'],
        severities: ['P1'],
        action: 'pause',
        page: true,
        source:
          `**P1 (High):**\n${response('P1')}\n` +
          'Rampart: a reported P1 pauses the rollout and pages the on-call engineer, who rolls back if it is not resolved ' +
          'in 15 minutes; the measurable P1s (error rate > 5%, P95 > 5000ms) roll back by themselves after 15 minutes (gates).',
      },
      {
        kinds: ['incident'],
        severities: ['P2'],
        action: 'hold',
        page: false,
        source: `**P2 (Medium):**\n${response('P2')}\nRampart: the next phase waits while it is investigated; rolling back is a person's call.`,
      },
      {
        kinds: ['incident'],
        severities: ['P3'],
        action: 'notify',
        page: false,
        source: `**P3 (Low):**\n${response('P3')}`,
      },
      // The manual rollback triggers, reported as problems of their kind (Phase 3's higher bar names the same).
      { kinds: ['data_integrity'], action: 'rollback', page: true, source: `${MANUAL}\n- Data corruption detected\n- Critical data loss or corruption` },
      { kinds: ['security'], action: 'rollback', page: true, source: `${MANUAL}\n- Security vulnerability discovered\n- Security incident requiring immediate action` },
      { kinds: ['critical_flow'], action: 'rollback', page: true, source: `${MANUAL}\n- Critical user-reported bug` },
      {
        kinds: ['user_reports'],
        action: 'hold',
        page: false,
        source: 'Each phase must meet these criteria before advancing:\n- ✅ No user-reported regressions\n- User reports',
      },
    ],
    // "On-call engineer assigned" / "Critical: PagerDuty → On-call engineer": the document names the role only.
    contacts: [{ role: 'On-call engineer', name: 'On-call engineer (to be assigned)', onCall: true }],
    // "Automatic rollback if: ..." → autoRollback. The Critical/"Consider rollback" rows pause on their
    // own so a person decides. Advancing needs the go/no-go and the minimum durations: never automatic.
    // autoComplete: "Duration: 24 hours minimum" is a lower bound, and Phase 3's success criteria include a
    // person's judgement ("User sentiment stable or improved"): the owner completes after the 24-hour watch.
    automation: { autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false },
  },
};
