// The five seed playbooks run as written, in compressed time: a healthy rollout completes stage by stage,
// each automatic trigger, when violated, produces its documented action within its window and not before
// (and never during the stage's initial delay), a metric flapping around a sustained trigger's line never
// trips it, and the built-in safety nets roll back a failing canary and pause a silent one.
import { describe, expect, it } from 'vitest';
import type { TGateSpec, TPlaybookSpec } from '@rampart/contracts';
import { BUILT_IN_PLAYBOOKS, builtInPlaybookSpecs, gatesForStage } from '../../src/index.js';
import { CANARY_OUTAGE_GATE, CANARY_SILENT_GATE, DEFAULT_INITIAL_DELAY_SECONDS, SILENT_AFTER_SECONDS } from '../../src/judgement/index.js';
import type { TTraffic, TWindow } from './rollout-model.js';
import { BIN_SECONDS, healthyTraffic, runRollout } from './rollout-model.js';

const SPECS = builtInPlaybookSpecs();
/** Breaches begin a minute after the stage's initial delay: the gates have judged it healthy first. */
const BREACH_AFTER = DEFAULT_INITIAL_DELAY_SECONDS + 60;
/** Time a gate may take beyond its documented delay: its one-minute judging window, plus a bin. */
const SLACK = 60 + 2 * BIN_SECONDS;

function specOf(key: string): TPlaybookSpec {
  const found = SPECS.find((s) => s.key === key);
  if (!found) throw new Error(`no built-in playbook ${key}`);
  return found.spec;
}

type TTrigger = Extract<TGateSpec, { kind: 'threshold' | 'consecutive_failures' }>;

function isTrigger(gate: TGateSpec): gate is TTrigger {
  return (gate.kind === 'threshold' || gate.kind === 'consecutive_failures') && gate.severity !== 'warn';
}

/** The first stage with canary traffic (and a baseline) that the gate judges. */
function stageFor(spec: TPlaybookSpec, gate: TGateSpec) {
  return spec.stages.find((s) => s.trafficPercent > 0 && s.trafficPercent < 100 && (!gate.stages || gate.stages.includes(s.key)));
}

/** A value past the gate's line by half again, or a failing health check. */
function violating(gate: TTrigger): number {
  if (gate.kind === 'consecutive_failures') return 0;
  if (gate.comparator === 'above') return gate.value * 1.5;
  return gate.value * 0.5;
}

function violates(gate: TGateSpec, metric: string, value: number): boolean {
  if (gate.kind === 'incidents' || gate.metric !== metric) return false;
  if (gate.kind === 'consecutive_failures') return value === 0;
  if (gate.kind !== 'threshold') return false;
  return gate.comparator === 'above' ? value > gate.value : value < gate.value;
}

/** How long a gate takes to trip once violated, as the document words it. */
function documentedDelay(gate: TTrigger): number {
  if (gate.kind === 'consecutive_failures') {
    return Math.min(gate.failures !== undefined ? (gate.failures - 1) * BIN_SECONDS : Infinity, gate.failingForSeconds ?? Infinity);
  }
  return gate.sustainSeconds;
}

function breaching(base: TTraffic, gate: TTrigger, stageKey: string, isBad: (secondsInStage: number) => boolean, after = BREACH_AFTER): TTraffic {
  return (context) => {
    const window: TWindow = base(context);
    if (context.stage !== stageKey || context.secondsInStage <= after || !isBad(context.secondsInStage)) return window;
    const value = violating(gate);
    if (gate.metric === 'error_rate') window.errors = { ...window.errors!, canary: window.requests!.canary! * value };
    else window[gate.metric] = { baseline: window[gate.metric]?.baseline ?? value, canary: value };
    return window;
  };
}

function withWatchAtMost(spec: TPlaybookSpec, seconds: number): TPlaybookSpec {
  return { ...spec, stages: spec.stages.map((stage) => (stage.trafficPercent >= 100 ? { ...stage, minBakeSeconds: Math.min(stage.minBakeSeconds, seconds) } : stage)) };
}

describe.each(BUILT_IN_PLAYBOOKS.map((p) => [p.key] as const))('seed playbook %s', (key) => {
  const spec = specOf(key);

  it('completes a healthy rollout stage by stage, each stage held for its bake time', { timeout: 90_000 }, () => {
    const judged = new Set<string>();
    // A 24-hour watch at 100% (seeds 001 and 003) is 8,640 judgements of the same healthy traffic: held for
    // an hour here, it keeps the test inside its time limit on a busy machine. The API seed walks pass the
    // whole watch with a test clock.
    const spec = withWatchAtMost(specOf(key), 3600);
    const result = runRollout(spec, {
      traffic: healthyTraffic(spec),
      maxSeconds: spec.stages.reduce((n, s) => n + s.minBakeSeconds, 0) + 3600,
      onAnalysis: (_second, analysis) => analysis.gates.forEach((g) => judged.add(g.key)),
      verifyCarryEvery: 359, // the carried state gives the verdicts judge() gives from scratch
    });
    expect(result.state, JSON.stringify(result.timeline)).toBe('completed');
    const moves = result.timeline.filter((e) => e.action === 'ramp' || e.action === 'complete');
    expect(moves).toHaveLength(spec.stages.length);
    let entered = 0;
    spec.stages.forEach((stage, i) => {
      const left = moves[i]!.second;
      expect(left - entered, `${stage.key} held ${left - entered} s`).toBeGreaterThanOrEqual(stage.minBakeSeconds);
      entered = left;
    });
    // The autopilot moves nothing, but may complete a playbook that says so once its watch is over.
    expect(result.timeline.filter((e) => e.by === 'autopilot' && !(e.action === 'complete' && spec.automation.autoComplete))).toEqual([]);
    // The safety nets stay out of a healthy release's analyses.
    expect([...judged].filter((k) => !spec.gates.some((g) => g.key === k))).toEqual([]);
  });

  const triggers = spec.gates.filter(isTrigger).filter((gate) => stageFor(spec, gate));
  const comparisons = spec.gates.filter((g) => g.kind === 'sequential' && g.metric === 'error_rate' && g.severity !== 'warn');
  it('has automatic triggers to check', () => {
    expect(triggers.length + comparisons.length).toBeGreaterThan(0);
  });

  it.each(comparisons.map((g) => [g.key, g] as const))('acts on %s when the canary errors three times as often', (_key, gate) => {
    const stage = stageFor(spec, gate)!;
    const healthy = healthyTraffic(spec);
    const result = runRollout(spec, {
      traffic: (context) => {
        const window = healthy(context);
        if (context.stage === stage.key && context.secondsInStage > BREACH_AFTER) {
          window.errors = { ...window.errors!, canary: window.errors!.canary! * 3 };
        }
        return window;
      },
      personRampsTo: stage.key,
      followUpSeconds: 0,
      maxSeconds: 4 * 3600,
      verifyCarryEvery: 7,
    });
    const acted = result.timeline.find((e) => e.by === 'autopilot');
    expect(acted, JSON.stringify(result.timeline)).toMatchObject({ action: gate.severity === 'rollback' ? 'rollback' : 'pause' });
    const enteredAt = result.timeline.find((e) => e.stage === stage.key)!.second;
    expect(acted!.second - enteredAt - BREACH_AFTER).toBeLessThanOrEqual(15 * 60);
  });

  it.each(triggers.map((g) => [g.key, g] as const))('acts on %s within its window and not before', (_key, gate) => {
    const stage = stageFor(spec, gate)!;
    const value = violating(gate);
    const tripped = gatesForStage(spec.gates, stage.key).filter((g): g is TTrigger => isTrigger(g) && violates(g, gate.metric, value));
    const earliest = Math.min(...tripped.map(documentedDelay));
    const result = runRollout(spec, {
      traffic: breaching(healthyTraffic(spec), gate, stage.key, () => true),
      personRampsTo: stage.key,
      followUpSeconds: documentedDelay(gate) + SLACK,
      maxSeconds: spec.stages.reduce((n, s) => n + s.minBakeSeconds, 0) + documentedDelay(gate) + 3600,
    });
    const enteredAt = result.timeline.find((e) => e.stage === stage.key)!.second;
    const automatic = result.timeline.filter((e) => e.by === 'autopilot');
    expect(automatic.length, JSON.stringify(result.timeline)).toBeGreaterThan(0);
    const first = automatic[0]!.second - enteredAt - BREACH_AFTER;
    expect(first, 'acted before the documented delay').toBeGreaterThanOrEqual(earliest);
    const expected = gate.severity === 'rollback' && spec.automation.autoRollback ? 'rollback' : 'pause';
    const documented = automatic.find((e) => e.action === expected || e.action === 'rollback');
    expect(documented, `no ${expected}: ${JSON.stringify(automatic)}`).toBeDefined();
    expect(documented!.second - enteredAt - BREACH_AFTER, 'acted too late').toBeLessThanOrEqual(documentedDelay(gate) + SLACK);
  });

  it.each(triggers.map((g) => [g.key, g] as const))('waits out the initial delay on %s when the breach starts with the stage', (_key, gate) => {
    const stage = stageFor(spec, gate)!;
    const value = violating(gate);
    const tripped = gatesForStage(spec.gates, stage.key).filter((g): g is TTrigger => isTrigger(g) && violates(g, gate.metric, value));
    const earliest = Math.min(...tripped.map(documentedDelay));
    const result = runRollout(spec, {
      traffic: breaching(healthyTraffic(spec), gate, stage.key, () => true, 0),
      personRampsTo: stage.key,
      followUpSeconds: 0,
      maxSeconds: spec.stages.reduce((n, s) => n + s.minBakeSeconds, 0) + documentedDelay(gate) + 3600,
    });
    const enteredAt = result.timeline.find((e) => e.stage === stage.key)!.second;
    const acted = result.timeline.find((e) => e.by === 'autopilot');
    expect(acted, JSON.stringify(result.timeline)).toBeDefined();
    const after = acted!.second - enteredAt;
    expect(after, 'acted during the initial delay').toBeGreaterThanOrEqual(DEFAULT_INITIAL_DELAY_SECONDS + earliest);
    expect(after, 'acted too late').toBeLessThanOrEqual(DEFAULT_INITIAL_DELAY_SECONDS + documentedDelay(gate) + SLACK);
  });

  const firstCanaryStage = spec.stages.find((s) => s.trafficPercent > 0 && s.trafficPercent < 100)!;

  it('rolls back a canary failing every request within 30 s, with no baseline data at all, even while warming up', () => {
    const healthy = healthyTraffic(spec);
    const outageFrom = 30; // seconds into the stage: well inside its initial delay
    const result = runRollout(spec, {
      traffic: (context) => {
        const window = healthy(context);
        if (context.stage !== firstCanaryStage.key) return window;
        // The baseline reports nothing this stage; the canary fails every request from 30 s in.
        const canaryOnly: TWindow = Object.fromEntries(Object.entries(window).map(([metric, v]) => [metric, { canary: v.canary }]));
        if (context.secondsInStage > outageFrom) canaryOnly['errors'] = { canary: window.requests!.canary };
        return canaryOnly;
      },
      personRampsTo: firstCanaryStage.key,
      followUpSeconds: 0,
      maxSeconds: 4 * 3600,
    });
    const enteredAt = result.timeline.find((e) => e.stage === firstCanaryStage.key)!.second;
    const acted = result.timeline.find((e) => e.by === 'autopilot');
    expect(acted, JSON.stringify(result.timeline)).toMatchObject({ action: 'rollback' });
    expect(acted!.reason).toContain(CANARY_OUTAGE_GATE.name);
    expect(acted!.second - enteredAt - outageFrom).toBeLessThanOrEqual(30);
    expect(acted!.second - enteredAt).toBeLessThan(DEFAULT_INITIAL_DELAY_SECONDS);
  });

  it(`pauses a canary that stops reporting for ${SILENT_AFTER_SECONDS} s while its stage takes traffic, and not before`, () => {
    const healthy = healthyTraffic(spec);
    const silentFrom = DEFAULT_INITIAL_DELAY_SECONDS + 120; // judged healthy for 2 minutes, then nothing from the canary
    const result = runRollout(spec, {
      traffic: (context) => {
        const window = healthy(context);
        if (context.stage !== firstCanaryStage.key || context.secondsInStage <= silentFrom) return window;
        return Object.fromEntries(Object.entries(window).map(([metric, v]) => [metric, { baseline: v.baseline }]));
      },
      personRampsTo: firstCanaryStage.key,
      followUpSeconds: 0,
      maxSeconds: 4 * 3600,
    });
    const enteredAt = result.timeline.find((e) => e.stage === firstCanaryStage.key)!.second;
    const acted = result.timeline.find((e) => e.by === 'autopilot');
    expect(acted, JSON.stringify(result.timeline)).toMatchObject({ action: 'pause' });
    expect(acted!.reason).toContain(CANARY_SILENT_GATE.name);
    const silentFor = acted!.second - enteredAt - silentFrom;
    expect(silentFor).toBeGreaterThanOrEqual(SILENT_AFTER_SECONDS);
    expect(silentFor).toBeLessThanOrEqual(SILENT_AFTER_SECONDS + BIN_SECONDS);
  });

  const sustained = triggers.filter((g) => g.kind === 'threshold' && g.sustainSeconds >= 60);
  it.each(sustained.map((g) => [g.key, g] as const))('is not tripped by %s flapping faster than its sustain window', (_key, gate) => {
    const stage = stageFor(spec, gate)!;
    const half = Math.max(BIN_SECONDS, Math.floor(gate.sustainSeconds / 2 / BIN_SECONDS) * BIN_SECONDS - BIN_SECONDS);
    const result = runRollout(spec, {
      traffic: breaching(healthyTraffic(spec), gate, stage.key, (s) => Math.floor((s - BREACH_AFTER - 1) / half) % 2 === 0),
      personRampsTo: stage.key,
      maxSeconds: spec.stages.reduce((n, s) => n + s.minBakeSeconds, 0) + 3 * gate.sustainSeconds + 600,
    });
    const tripping = result.timeline.filter((e) => e.by === 'autopilot' && e.reason?.includes(gate.name));
    expect(tripping, JSON.stringify(result.timeline)).toEqual([]);
  });
});
