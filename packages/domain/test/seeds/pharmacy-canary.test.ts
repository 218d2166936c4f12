import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec } from '@rampart/contracts';
import { defaultMinSample } from '../../src/judgement/index.js';
import { pharmacyCanaryPlaybook as playbook } from '../../src/playbooks/seeds/pharmacy-canary.js';
import {
  allItems,
  commonPlaybookTests,
  expectGate,
  expectItemsCover,
  expectStage,
  itemCandidates,
  itemOf,
  stageOf,
} from './document.js';

/** What docs/seeds/000 says that Rampart's playbook model cannot express (yet). */
const KNOWN_GAPS = [
  '"dedup IDs match server records": a data-consistency check, not a metric (the dedup-rate half of the line is a gate).',
  '"Request error rate (4xx/5xx)": Rampart divides whatever the reporter sends as `errors`; counting 4xx as errors is up to the reporter.',
  '"Release owner: @product-owner (or person responsible)": a contact by role; who may act as the release\'s owner is chosen per release.',
  '"Schedule a low-traffic window for the initial canary": the document gives no days or hours, so no release window is encoded (kept as a checklist item).',
  '"Monitor: error rate, 95/99th latency, prescription upload success rate, order creation rate": a playbook cannot list metrics to watch without a rule; P99, upload success and order creation rate have no threshold.',
];

const doc = readFileSync(new URL('../../../../docs/seeds/000_15305209fecf33df.md', import.meta.url), 'utf8');
const spec = ZPlaybookSpec.parse(playbook.spec);

describe('seed 000: pharmacy-canary', () => {
  commonPlaybookTests(playbook, doc, KNOWN_GAPS);

  it('has the stages of the Deployment Plan, with their percent and bake ranges', () => {
    expect(spec.stages.map((s) => s.key)).toEqual(['staging', 'canary-1', 'ramp-5', 'ramp-25', 'ramp-50', 'full']);
    expectStage(spec, doc, 'staging', '1. Deploy to Staging', { trafficPercent: 0, minBakeSeconds: 0 });
    expectStage(spec, doc, 'canary-1', '2. Canary (1% production traffic, 30–60 minutes)', {
      trafficPercent: 1,
      minBakeSeconds: 1800,
      maxBakeSeconds: 3600,
    });
    for (const percent of [5, 25, 50]) {
      expectStage(spec, doc, `ramp-${percent}`, '3. Ramp (5% → 25% → 50%)\nWait 1–2h at each stage and monitor metrics', {
        trafficPercent: percent,
        minBakeSeconds: 3600,
        maxBakeSeconds: 7200,
      });
    }
    expectStage(spec, doc, 'full', '4. Full rollout (100%)', { trafficPercent: 100, minBakeSeconds: 0 });
    expect(spec.stages.every((s) => s.signoff.length === 0)).toBe(true);
  });

  it('requires Product, Security and Infrastructure before the start', () => {
    expect(doc).toContain('Approvers required: Product, Security, Infrastructure');
    expect(spec.approvalsBeforeStart).toEqual([
      { role: 'product', count: 1 },
      { role: 'security', count: 1 },
      { role: 'infrastructure', count: 1 },
    ]);
  });

  it('encodes the success criteria as gates', () => {
    expectGate(spec, doc, 'error-rate-vs-baseline', 'does not increase > 0.5% absolute/20% relative (whichever is higher)', {
      kind: 'baseline_delta',
      metric: 'error_rate',
      worseWhen: 'higher',
      maxAbsoluteChange: 0.005,
      maxRelativeChange: 0.2,
      sustainSeconds: 0,
      severity: 'warn',
    });
    expectGate(spec, doc, 'latency-p95-vs-baseline', 'Latency (P95) not degraded by > 25% relative to baseline', {
      kind: 'baseline_delta',
      metric: 'latency_p95_ms',
      maxRelativeChange: 0.25,
      severity: 'warn',
    });
    expectGate(spec, doc, 'upload-dedup-rate-vs-baseline', 'Prescription upload dedup rate low or unchanged', {
      kind: 'baseline_delta',
      metric: 'prescription_upload_dedup_rate',
      worseWhen: 'higher',
      severity: 'warn',
    });
    expectGate(spec, doc, 'order-success-vs-baseline', 'Orders created successfully (no rejected-by-policy spikes)', {
      kind: 'baseline_delta',
      metric: 'order_creation_success_rate',
      worseWhen: 'lower',
      severity: 'warn',
    });
    // "If regression detected, stop and roll back": the sequential comparison with the baseline rolls back.
    expectGate(spec, doc, 'error-rate-sequential', 'If regression detected, stop and roll back to prior release', {
      kind: 'sequential',
      metric: 'error_rate',
      severity: 'rollback',
      stages: ['canary-1', 'ramp-5', 'ramp-25', 'ramp-50', 'full'],
    });
    expect(spec.automation.autoRollback).toBe(true);
    expect(spec.gates).toHaveLength(6);
    expect(spec.gates.every((g) => g.stages !== undefined && !g.stages.includes('staging'))).toBe(true);
  });

  it('leaves minimum samples to the engine, which derives them from each limit', () => {
    expect(spec.gates.filter((g) => g.minRequests !== undefined).map((g) => g.key)).toEqual([]);
    const derived = (key: string, gauge = false) =>
      defaultMinSample(spec.gates.find((g) => g.key === key) as Extract<TGateSpec, { kind: 'baseline_delta' }>, gauge);
    expect(derived('error-rate-vs-baseline')).toBe(2000); // 10 errors expected at the 0.5-point allowance
    expect(derived('latency-p95-vs-baseline')).toBe(200); // from a histogram: 10 requests above the P95
    expect(derived('latency-p95-vs-baseline', true)).toBe(3); // sent as a gauge: 3 points
    expect(derived('order-success-vs-baseline')).toBe(3);
  });

  it('has every checklist line of the document as an item in its section', () => {
    const lines = itemCandidates(doc, {
      'Monitoring & Success Criteria 📊': 'gates, or known gaps',
      'Owners & Approvals': 'approvalsBeforeStart and contacts',
    });
    expect(lines.length).toBe(9 + 4 + 11 + 3 + 4);
    expectItemsCover(spec, lines, {
      'If stable, ramp to 5%': 'the ramp action itself',
      'If regression detected, stop and roll back to prior release': 'the sequential gate error-rate-sequential, which rolls back',
    });
  });

  it('places items in their phase, stage, owner and requirement', () => {
    expect(itemOf(spec, 'Security scan / dependency audit passed (no critical findings)')).toMatchObject({
      phase: 'before_start',
      ownerRole: 'security',
      required: true,
    });
    expect(itemOf(spec, 'Run migrations against a staging DB')).toMatchObject({ phase: 'stage', stageKey: 'staging' });
    expect(itemOf(spec, 'Deploy a canary instance with v1.0.0')).toMatchObject({ stageKey: 'canary-1' });
    const waits = allItems(spec).filter((i) => i.text === 'Wait 1–2h at each stage and monitor metrics');
    expect(waits.map((i) => i.stageKey)).toEqual(['ramp-5', 'ramp-25', 'ramp-50']);
    expect(itemOf(spec, 'Run full regression smoke tests, API contract checks')).toMatchObject({ stageKey: 'full' });
    expect(itemOf(spec, 'Schedule a post-mortem if incidents occurred')).toMatchObject({
      phase: 'after_completion',
      required: false,
    });
  });

  it('has Rampart default messages, with the downtime/impact notes the document asks for', () => {
    expect(spec.messages.map((m) => m.kind)).toEqual(['announcement', 'progress', 'complete', 'rollback', 'incident']);
    expect(spec.messages.every((m) => m.title.includes('Rampart default'))).toBe(true);
    expect(doc).toContain('Announce release to stakeholders with downtime/impact notes (if any)');
    expect(spec.messages.find((m) => m.kind === 'complete')?.body).toContain('Downtime/impact');
    expect(doc).toContain('On-call for rollback: Backend lead, DevOps');
    expect(spec.messages.find((m) => m.kind === 'announcement')?.body).toContain('On-call for rollback: {{onCall}}');
    expect(spec.messages.every((m) => m.on === undefined && m.everySeconds === undefined), 'each at the moment of its kind').toBe(true);
  });

  it('never ramps or completes on its own', () => {
    expect(spec.automation).toEqual({ autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false });
  });

  it('has the Rollback Plan as the rollback procedure, the conditional steps optional', () => {
    const procedure = allItems(spec).filter((i) => i.phase === 'on_rollback');
    expect(procedure.map((i) => [i.section, i.text, i.ownerRole, i.required])).toEqual([
      ['Rollback Plan ⛔', 'Immediately reverse deployment orchestration to the previous release image', 'infrastructure', true],
      ['Rollback Plan ⛔', 'If DB migration is non-reversible and causes issues, restore DB from pre-release backup snapshot', 'infrastructure', false],
      ['Rollback Plan ⛔', 'Reopen canary at smaller percentage after fix and additional test validations', 'release_owner', false],
    ]);
  });

  it('rolls back on a SEV1/SEV2 incident, and judges "No new SEV1/SEV2 incidents in 1 hour after each ramp" as a gate', () => {
    expect(spec.incidentScale).toBe('SEV1-SEV4');
    expect(spec.incidentResponses).toEqual([
      expect.objectContaining({ kinds: ['incident'], severities: ['SEV1', 'SEV2'], action: 'rollback', page: true }),
    ]);
    expectGate(spec, doc, 'no-new-sev1-sev2-incidents', 'No new SEV1/SEV2 incidents in 1 hour after each ramp', {
      kind: 'incidents',
      severities: ['SEV1', 'SEV2'],
      windowSeconds: 3600,
      severity: 'rollback',
      stages: ['ramp-5', 'ramp-25', 'ramp-50'],
    });
    // The window never outlasts the stages it watches: the ramps keep their "1–2h".
    for (const key of ['ramp-5', 'ramp-25', 'ramp-50']) expect(stageOf(spec, key).minBakeSeconds).toBeGreaterThanOrEqual(3600);
  });

  it('names the owner and the on-call for rollback, and no release window', () => {
    expect(doc).toContain('Release owner: @product-owner (or person responsible)');
    expect(spec.contacts).toEqual([
      { role: 'Release owner', name: '@product-owner (or person responsible)', onCall: false },
      { role: 'On-call for rollback', name: 'Backend lead', onCall: true },
      { role: 'On-call for rollback', name: 'DevOps', onCall: true },
    ]);
    expect(spec.escalation).toEqual({ acknowledgeWithinSeconds: 900 });
    expect(spec.windows).toEqual([]);
    expect(itemOf(spec, 'Schedule a low-traffic window for the initial canary')).toMatchObject({ phase: 'before_start', required: true });
  });
});

