// Seed 000: the v1.0.0 release of the prescription and orders service (canary 1% → 5% → 25% → 50% → 100%).
// Conventions shared by the seeds:
// - A `source` holds the document line(s) it encodes, one per line; lines starting with "Rampart:" are our notes.
// - Success criteria are `warn` gates (a failing one blocks the ramp, nothing more).
// - minRequests is left to the engine, which derives it from the limit (10 / threshold requests for an error
//   rate, 200 for a P95, 1,000 for a P99) and judges a breach with confidence (judgement/comparison.ts).
import type { TBuiltInPlaybook } from '../built-in.js';
import { buildChecklist, stage } from './author.js';

// Staging takes no production traffic (its checks are checklist items): gates judge the production stages.
const PRODUCTION = ['canary-1', 'ramp-5', 'ramp-25', 'ramp-50', 'full'];
/** The stages entered by "each ramp": the document's "Ramp (5% → 25% → 50%)". */
const RAMPS = ['ramp-5', 'ramp-25', 'ramp-50'];
const ROLL_BACK_LINE = '- If regression detected, stop and roll back to prior release';
const RANGE_NOTE = 'Rampart: a range; minBakeSeconds is its lower end, maxBakeSeconds its upper end.';
const RAMP_LINES = '3. Ramp (5% → 25% → 50%)\nWait 1–2h at each stage and monitor metrics';

export const pharmacyCanaryPlaybook: TBuiltInPlaybook = {
  key: 'pharmacy-canary',
  name: 'Prescription & orders canary',
  description:
    'Staged rollout of the v1.0.0 prescription and orders release: staging, a 1% canary for 30–60 minutes, ' +
    '5%, 25% and 50% for 1–2 hours each, then everyone. Product, Security and Infrastructure approve the start.',
  sourceDocument: 'docs/seeds/000_15305209fecf33df.md',
  spec: {
    stages: [
      {
        key: 'staging',
        name: 'Deploy to Staging',
        trafficPercent: 0,
        minBakeSeconds: 0,
        source: '1. Deploy to Staging\nRampart: no duration given; the stage lasts until its checklist is done.',
      },
      {
        key: 'canary-1',
        name: 'Canary 1%',
        trafficPercent: 1,
        minBakeSeconds: 30 * 60,
        maxBakeSeconds: 60 * 60,
        source: `2. Canary (1% production traffic, 30–60 minutes)\n${RANGE_NOTE}`,
      },
      ...[5, 25, 50].map((percent) => ({
        key: `ramp-${percent}`,
        name: `Ramp ${percent}%`,
        trafficPercent: percent,
        minBakeSeconds: 1 * 3600,
        maxBakeSeconds: 2 * 3600,
        source: `${RAMP_LINES}\n${RANGE_NOTE}`,
      })),
      {
        key: 'full',
        name: 'Full rollout',
        trafficPercent: 100,
        minBakeSeconds: 0,
        source: '4. Full rollout (100%)\nRampart: no duration given.',
      },
    ],
    gates: [
      {
        key: 'error-rate-vs-baseline',
        name: 'Error rate not more than 0.5 points or 20% above baseline',
        kind: 'baseline_delta',
        metric: 'error_rate',
        worseWhen: 'higher',
        maxAbsoluteChange: 0.005,
        maxRelativeChange: 0.2,
        severity: 'warn',
        stages: PRODUCTION,
        sustainSeconds: 0,
        source:
          '- Request error rate (4xx/5xx) does not increase > 0.5% absolute/20% relative (whichever is higher)',
      },
      {
        key: 'latency-p95-vs-baseline',
        name: 'P95 latency not more than 25% above baseline',
        kind: 'baseline_delta',
        metric: 'latency_p95_ms',
        worseWhen: 'higher',
        maxRelativeChange: 0.25,
        severity: 'warn',
        stages: PRODUCTION,
        sustainSeconds: 0,
        source: '- Latency (P95) not degraded by > 25% relative to baseline',
      },
      {
        key: 'upload-dedup-rate-vs-baseline',
        name: 'Prescription upload dedup rate unchanged',
        kind: 'baseline_delta',
        metric: 'prescription_upload_dedup_rate',
        worseWhen: 'higher',
        maxAbsoluteChange: 0.005,
        maxRelativeChange: 0.2,
        severity: 'warn',
        stages: PRODUCTION,
        sustainSeconds: 0,
        source:
          '- Prescription upload dedup rate low or unchanged; dedup IDs match server records\n' +
          'Rampart: "unchanged" has no number; the allowance is the error-rate criterion\'s (0.5 points or 20%).',
      },
      {
        key: 'order-success-vs-baseline',
        name: 'Orders created successfully (no policy-rejection spike)',
        kind: 'baseline_delta',
        metric: 'order_creation_success_rate',
        worseWhen: 'lower',
        maxAbsoluteChange: 0.005,
        maxRelativeChange: 0.2,
        severity: 'warn',
        stages: PRODUCTION,
        sustainSeconds: 0,
        source:
          '- Orders created successfully (no rejected-by-policy spikes)\n' +
          'Rampart: "spike" has no number; the allowance is the error-rate criterion\'s (0.5 points or 20%).',
      },
      {
        key: 'error-rate-sequential',
        name: 'Canary error rate not worse than baseline (sequential test)',
        kind: 'sequential',
        metric: 'error_rate',
        alpha: 0.01,
        severity: 'rollback',
        stages: PRODUCTION,
        source:
          `${ROLL_BACK_LINE}\n` +
          'Rampart: a statistical canary-vs-baseline comparison that stays valid when watched continuously; a regression rolls back.',
      },
      {
        key: 'no-new-sev1-sev2-incidents',
        name: 'No new SEV1/SEV2 incidents in 1 hour after each ramp',
        kind: 'incidents',
        severities: ['SEV1', 'SEV2'],
        windowSeconds: 3600,
        severity: 'rollback',
        stages: RAMPS,
        sustainSeconds: 0,
        source:
          '- No new SEV1/SEV2 incidents in 1 hour after each ramp\n' +
          `${ROLL_BACK_LINE}\n` +
          'Rampart: "each ramp" is the document\'s "Ramp (5% → 25% → 50%)"; the 1-hour window equals those stages\' ' +
          'shortest bake, so it never holds a ramp longer. A SEV1/SEV2 at any stage also rolls back through the incident responses.',
      },
    ],
    checklist: buildChecklist([
      {
        title: 'Pre-release ✅',
        at: 'before_start',
        items: [
          ['CI green for backend, frontend, and E2E jobs', 'engineering'],
          ['All unit & integration tests passing locally and on CI', 'engineering'],
          ['Playwright E2E tests passing against preview build', 'engineering'],
          ['OpenAPI spec reviewed and committed: `docs/openapi_v1.yaml`', 'engineering'],
          ['DB migrations reviewed and smoke-tested on staging (backup available)', 'infrastructure'],
          ['Security scan / dependency audit passed (no critical findings)', 'security'],
          ['Log retention / monitoring (APM) configured for release window', 'infrastructure'],
          ['Release notes and changelog prepared and reviewed', 'release_owner'],
          ['Stakeholder approval obtained (product, security, infra)', 'release_owner'],
        ],
      },
      {
        title: 'Release window preparations 🕒',
        at: 'before_start',
        items: [
          ['Schedule a low-traffic window for the initial canary', 'release_owner'],
          ['Ensure a recent DB backup/snapshot is available and tested', 'infrastructure'],
          // "(if any are destructive)" qualifies the DB half; rolling back deploys is always needed.
          ['Ensure ability to rollback deploys and DB migrations (if any are destructive)', 'infrastructure'],
          // "if needed" qualifies toggling, not having the flags: required.
          ['Ensure feature flags (or routing) exist to toggle new behavior if needed', 'engineering'],
        ],
      },
      {
        // "If stable, ramp to 5%" is the ramp action itself and "If regression detected, stop and roll
        // back" is a rollback decision (gates + known gap); neither is an item to tick.
        title: 'Deployment Plan (Canary → Gradual Rollout)',
        at: stage('staging'),
        items: [
          ['Run migrations against a staging DB', 'infrastructure'],
          ['Run smoke tests (health, API-version header test, E2E)', 'engineering'],
          ['Validate storage fallback behavior and prescription uploads', 'engineering'],
          ['Deploy a canary instance with v1.0.0', 'release_owner', { at: stage('canary-1') }],
          [
            'Monitor: error rate, 95/99th latency, prescription upload success rate, order creation rate',
            'release_owner',
            { at: stage('canary-1') },
          ],
          ['Run targeted functional smoke tests (API and UI flows)', 'engineering', { at: stage('canary-1') }],
          ['Wait 1–2h at each stage and monitor metrics', 'release_owner', { at: stage('ramp-5') }],
          ['Wait 1–2h at each stage and monitor metrics', 'release_owner', { at: stage('ramp-25') }],
          ['Wait 1–2h at each stage and monitor metrics', 'release_owner', { at: stage('ramp-50') }],
          ['After stable ramp, deploy to all instances', 'release_owner', { at: stage('full') }],
          ['Run full regression smoke tests, API contract checks', 'engineering', { at: stage('full') }],
        ],
      },
      {
        title: 'Rollback Plan ⛔',
        at: 'on_rollback',
        items: [
          ['Immediately reverse deployment orchestration to the previous release image', 'infrastructure'],
          [
            'If DB migration is non-reversible and causes issues, restore DB from pre-release backup snapshot',
            'infrastructure',
            { optional: true },
          ],
          // Conditional on a fix; the new attempt itself is the release's reopen action.
          ['Reopen canary at smaller percentage after fix and additional test validations', 'release_owner', { optional: true }],
        ],
      },
      {
        title: 'Post-release 📣',
        at: 'after_completion',
        items: [
          ['Document any follow-up tickets (performance, UX, monitoring gaps)', 'release_owner'],
          // "(if any)" qualifies the impact notes, not the announcement.
          ['Announce release to stakeholders with downtime/impact notes (if any)', 'release_owner'],
          ['Update `CHANGELOG.md` and release metadata on GitHub', 'engineering'],
          ['Schedule a post-mortem if incidents occurred', 'release_owner', { optional: true }],
        ],
      },
    ]),
    // "Approvers required: Product, Security, Infrastructure": one sign-off of each role before the start.
    approvalsBeforeStart: [
      { role: 'product', count: 1 },
      { role: 'security', count: 1 },
      { role: 'infrastructure', count: 1 },
    ],
    // The document has no templates: these are Rampart defaults in its words
    // ("Announce release to stakeholders with downtime/impact notes").
    messages: [
      {
        key: 'announcement',
        kind: 'announcement',
        audience: 'internal',
        title: 'Release starting (Rampart default)',
        body:
          '🚀 Starting the staged rollout of {{service}} {{version}}\n\n' +
          'Owner: {{owner}}\nPlan: staging → 1% canary → 5% → 25% → 50% → 100%\n' +
          'Changes: {{notes}}\nOn-call for rollback: {{onCall}}\n\nFollow along: {{releaseUrl}}',
      },
      {
        key: 'progress',
        kind: 'progress',
        audience: 'internal',
        title: 'Rollout update (Rampart default)',
        body:
          '📊 {{service}} {{version}}: {{stage}} at {{percent}}% (applied: {{acknowledgedPercent}}%)\n\n' +
          'Health: {{health}}\nError rate: {{errorRate}} (baseline: {{baselineErrorRate}})\n' +
          'P95 latency: {{latencyP95}} (baseline: {{baselineLatencyP95}})\nIssues: {{issues}}\n\n' +
          'Next: {{nextStage}} ({{nextPercent}}%)',
      },
      {
        key: 'complete',
        kind: 'complete',
        audience: 'internal',
        title: 'Release announcement to stakeholders (Rampart default)',
        body:
          '✅ {{service}} {{version}} is released to all instances ({{finishedAt}}).\n\n' +
          'Changes: {{notes}}\nDowntime/impact: {{issues}}; latest incident: {{incident}}\n\n' +
          'CHANGELOG.md and the GitHub release are being updated. Details: {{releaseUrl}}',
      },
      {
        key: 'rollback',
        kind: 'rollback',
        audience: 'internal',
        title: 'Rollback (Rampart default)',
        body:
          '🔴 Rolling back {{service}} {{version}} to {{previousVersion}}\n\n' +
          'Reason: {{reason}}\nState: {{state}} at {{percent}}%\nIssues: {{issues}}\n\n' +
          'On-call for rollback: {{onCall}}\n' +
          'The canary reopens at a smaller percentage after a fix. Details: {{releaseUrl}}',
      },
      {
        key: 'incident',
        kind: 'incident',
        audience: 'internal',
        title: 'Incident (Rampart default)',
        body:
          '🚨 {{severity}} incident on {{service}} {{version}}: {{incident}}\n\n' +
          'Started: {{incidentStartedAt}}\nStatus: {{incidentStatus}}\nHandled by: {{incidentHandler}}\n' +
          'Release: {{state}} at {{percent}}%\nOn-call for rollback: {{onCall}}\n\nDetails: {{releaseUrl}}',
      },
    ],
    incidentScale: 'SEV1-SEV4',
    incidentResponses: [
      {
        kinds: ['incident'],
        severities: ['SEV1', 'SEV2'],
        action: 'rollback',
        page: true,
        source:
          '- No new SEV1/SEV2 incidents in 1 hour after each ramp\n' +
          `${ROLL_BACK_LINE}\n` +
          '- On-call for rollback: Backend lead, DevOps\n' +
          'Rampart: a SEV1/SEV2 is a regression: it rolls back at once and pages the on-call for rollback.',
      },
    ],
    contacts: [
      // The document's handle; each release names its own owner.
      { role: 'Release owner', name: '@product-owner (or person responsible)', onCall: false },
      { role: 'On-call for rollback', name: 'Backend lead', onCall: true },
      { role: 'On-call for rollback', name: 'DevOps', onCall: true },
    ],
    // "Schedule a low-traffic window for the initial canary" gives no days or hours: no window is encoded, and
    // scheduling it stays a before-start item. No escalation time is given either: the default applies.
    // autoAdvance: "If stable, ramp to 5%" is a person's call. autoRollback: "If regression detected, stop and
    // roll back" (the sequential gate and the SEV1/SEV2 rule). autoComplete: the full rollout has no duration and
    // ends with "Run full regression smoke tests, API contract checks": the owner completes it.
    automation: { autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false },
  },
};
