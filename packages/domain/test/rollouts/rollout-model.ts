// A whole rollout of a playbook in compressed time, as Rampart runs it: every 10 seconds a window of
// traffic is binned, the stage is judged (carrying the sequential gates' state from one evaluation to the
// next, as the API does), the autopilot decides, and a diligent person ramps and completes whenever the
// buttons allow. Pure: no database, no wall clock.
import type { TAnalysis, TGateSpec, TPlaybookSpec } from '@rampart/contracts';
import { gateMetrics } from '@rampart/contracts';
import type { TBin, TCohortSeries, TGateStatus, TJudgementCarry, TJudgementInput, TReleaseSnapshot } from '../../src/index.js';
import { actionAvailability, decideAction, decideAutomation, gateStatuses, judge, judgeWithCarry } from '../../src/index.js';

export const BIN_SECONDS = 10;
const T0 = Date.parse('2026-03-02T09:00:00Z');

/** Values of every metric for one 10-second window, per cohort; a cohort left out reports nothing. */
export type TWindow = Record<string, { canary?: number | undefined; baseline?: number | undefined }>;
export type TTraffic = (context: { second: number; stage: string; trafficPercent: number; secondsInStage: number }) => TWindow;

export interface TTimelineEntry {
  second: number;
  action: string;
  by: 'autopilot' | 'person';
  stage: string | null;
  reason?: string | undefined;
}

export interface TRolloutResult {
  state: TReleaseSnapshot['state'];
  timeline: TTimelineEntry[];
  seconds: number;
}

/** Every checklist item done and every sign-off given: the process the document asks for was followed. */
export function preparedRelease(spec: TPlaybookSpec): TReleaseSnapshot {
  const signoffs = (role: string, stageKey: string | null, count: number) =>
    Array.from({ length: count }, (_, i) => ({ role, stageKey, decision: 'approve' as const, userId: `${role}-${i}` }));
  return {
    state: 'ready',
    ownerId: 'owner',
    currentStageIndex: -1,
    desiredPercent: 0,
    acknowledgedPercent: 0,
    stages: spec.stages.map((s) => ({ ...s, enteredAt: null, exitedAt: null })),
    checklist: spec.checklist.flatMap((section) =>
      section.items.map((item) => ({ key: item.key, text: item.text, phase: item.phase, stageKey: item.stageKey ?? null, required: item.required, status: 'done' as const })),
    ),
    approvalsBeforeStart: spec.approvalsBeforeStart,
    approvals: [
      ...spec.approvalsBeforeStart.flatMap((r) => signoffs(r.role, null, r.count)),
      ...spec.stages.flatMap((s) => s.signoff.flatMap((r) => signoffs(r.role, s.key, r.count))),
    ] as TReleaseSnapshot['approvals'],
    startedAt: null,
    finishedAt: null,
  };
}

/** A value of each metric that every threshold gate on it accepts. */
export function healthyValue(gates: readonly TGateSpec[], metric: string): number {
  const thresholds = gates.filter((g): g is Extract<TGateSpec, { kind: 'threshold' }> => g.kind === 'threshold' && g.metric === metric);
  const above = Math.min(...thresholds.filter((g) => g.comparator === 'above').map((g) => g.value));
  const below = Math.max(...thresholds.filter((g) => g.comparator === 'below').map((g) => g.value));
  if (Number.isFinite(above) && Number.isFinite(below)) return (above + below) / 2;
  if (Number.isFinite(above)) return above / 2;
  if (Number.isFinite(below)) return below <= 1 ? (below + 1) / 2 : below * 2;
  return metric === 'error_rate' ? 0.002 : metric.startsWith('latency') ? 200 : 1;
}

const REQUESTS_PER_SECOND = 2000;

/** Healthy traffic for a playbook: the canary gets the stage's share; both cohorts behave the same. */
export function healthyTraffic(spec: TPlaybookSpec): TTraffic {
  const metrics = new Set(gateMetrics(spec.gates).filter((m) => m !== 'error_rate' && m !== 'latency'));
  const errorRate = healthyValue(spec.gates, 'error_rate');
  return ({ trafficPercent }) => {
    const canaryRequests = (REQUESTS_PER_SECOND * BIN_SECONDS * trafficPercent) / 100;
    const baselineRequests = REQUESTS_PER_SECOND * BIN_SECONDS - canaryRequests;
    const window: TWindow = {
      requests: { canary: canaryRequests, baseline: baselineRequests },
      errors: { canary: canaryRequests * errorRate, baseline: baselineRequests * errorRate },
      health_ok: { canary: 1, baseline: 1 },
    };
    for (const metric of metrics) {
      if (metric === 'requests' || metric === 'errors' || metric === 'health_ok') continue;
      const value = healthyValue(spec.gates, metric);
      window[metric] = { canary: value, baseline: value };
    }
    return window;
  };
}

function appendWindow(scalars: Record<string, TCohortSeries<TBin>>, window: TWindow, t: number, trafficPercent: number) {
  for (const [metric, values] of Object.entries(window)) {
    const series = (scalars[metric] ??= { canary: [], baseline: [] });
    // A cohort without traffic reports nothing, as a real one would.
    const { canary, baseline } = values;
    if (trafficPercent > 0 && canary !== undefined) series.canary.push({ t, sum: canary, count: 1, max: canary, last: canary });
    if (trafficPercent < 100 && baseline !== undefined) series.baseline.push({ t, sum: baseline, count: 1, max: baseline, last: baseline });
  }
}

export interface TRunOptions {
  traffic: TTraffic;
  /** The person ramps and completes when allowed; false leaves every move to the autopilot. */
  personActs?: boolean;
  /** The person ramps (forcing past blockers, with a reason) until this stage, then leaves it to the autopilot. */
  personRampsTo?: string;
  /** Stop this long after the autopilot first acts (a pause may still be followed by a rollback). */
  followUpSeconds?: number;
  maxSeconds?: number;
  /** Called with every analysis, for tests that look inside the judgement. */
  onAnalysis?: (second: number, analysis: TAnalysis) => void;
  /** Every this many evaluations, check that the carried judgement gives the verdicts of a judgement from scratch. */
  verifyCarryEvery?: number;
}

export function runRollout(spec: TPlaybookSpec, options: TRunOptions): TRolloutResult {
  let release = preparedRelease(spec);
  const timeline: TTimelineEntry[] = [];
  const scalars: Record<string, TCohortSeries<TBin>> = {};
  const breached = new Set<string>();
  const maxSeconds = options.maxSeconds ?? 40 * 3600;
  const at = (second: number) => new Date(T0 + second * 1000);

  const start = decideAction(release, { action: 'start' }, { now: at(0), gates: [] });
  if (!start.ok) throw new Error(`cannot start: ${start.refusal.message}`);
  release = start.release;
  timeline.push({ second: 0, action: 'start', by: 'person', stage: release.stages[0]?.key ?? null });

  let second = 0;
  let stopAt = maxSeconds;
  let carry: TJudgementCarry | null = null;
  while (second < stopAt && (release.state === 'running' || release.state === 'paused')) {
    second += BIN_SECONDS;
    const stage = release.stages[release.currentStageIndex]!;
    const secondsInStage = second - (stage.enteredAt!.getTime() - T0) / 1000;
    const window = options.traffic({ second, stage: stage.key, trafficPercent: stage.trafficPercent, secondsInStage });
    appendWindow(scalars, window, T0 + (second - BIN_SECONDS) * 1000, stage.trafficPercent);
    const input: TJudgementInput = {
      now: T0 + second * 1000,
      binSeconds: BIN_SECONDS,
      stage: { key: stage.key, enteredAt: stage.enteredAt!.getTime(), trafficPercent: stage.trafficPercent, initialDelaySeconds: spec.stages[release.currentStageIndex]?.initialDelaySeconds },
      releaseStartedAt: T0,
      gates: spec.gates,
      scalars,
      histograms: {},
    };
    const judged = judgeWithCarry(input, carry);
    carry = judged.carry;
    const analysis = judged.analysis;
    if (options.verifyCarryEvery && (second / BIN_SECONDS) % options.verifyCarryEvery === 0) {
      const verdicts = (a: TAnalysis) => JSON.stringify([a.verdict, a.gates.map((g) => [g.key, g.verdict])]);
      const fromScratch = judge(input);
      if (verdicts(analysis) !== verdicts(fromScratch)) {
        throw new Error(`at ${second} s the carried judgement's verdicts differ from judge()'s: ${JSON.stringify(analysis.gates)} vs ${JSON.stringify(fromScratch.gates)}`);
      }
    }
    options.onAnalysis?.(second, analysis);
    const gates: TGateStatus[] = gateStatuses(analysis);
    for (const g of analysis.gates) if (g.verdict === 'fail' || g.verdict === 'warn') breached.add(g.key);
    const automatic = decideAutomation({ release, policy: spec.automation, gates, breachedThisStage: [...breached], now: at(second) });
    let move: { action: 'ramp' | 'pause' | 'rollback' | 'complete'; by: 'autopilot' | 'person'; reason?: string; force?: boolean } | null = null;
    if (options.personRampsTo && stage.key !== options.personRampsTo) {
      move = { action: 'ramp', by: 'person', reason: 'Getting to the stage under test', force: true };
    } else if (automatic.kind === 'act') move = { action: automatic.action, by: 'autopilot', reason: automatic.reason };
    else if (options.personActs !== false && !options.personRampsTo) {
      const allowed = actionAvailability(release, { now: at(second), gates }).filter((a) => a.allowed).map((a) => a.action);
      if (allowed.includes('ramp')) move = { action: 'ramp', by: 'person' };
      else if (allowed.includes('complete')) move = { action: 'complete', by: 'person' };
    }
    if (!move) continue;
    const outcome = decideAction(release, { action: move.action, reason: move.reason, force: move.force }, { now: at(second), gates });
    if (!outcome.ok) throw new Error(`${move.by} could not ${move.action}: ${outcome.refusal.message}`);
    if (outcome.release.currentStageIndex !== release.currentStageIndex) breached.clear();
    if (move.by === 'autopilot' && options.followUpSeconds !== undefined) stopAt = Math.min(stopAt, second + options.followUpSeconds);
    release = outcome.release;
    timeline.push({ second, action: move.action, by: move.by, stage: release.stages[release.currentStageIndex]?.key ?? null, reason: move.reason });
  }
  return { state: release.state, timeline, seconds: second };
}
