// Builders for judgement inputs: bins of 10 s from T0, one point per bin unless told otherwise.
import { ZGateSpec, ZPlaybookSpec } from '@rampart/contracts';
import type { TGateSpec } from '@rampart/contracts';
import type { TBin, TCohortSeries, THistogramBin, TJudgementInput } from '../../src/judgement/index.js';
import { BUILT_IN_PLAYBOOKS } from '../../src/playbooks/built-in.js';

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
export const BIN = 10_000;

/** A bin holding `count` points that add up to `sum` (a counter's per-window counts, or a gauge's points). */
export function bin(t: number, sum: number, count = 1, last = sum / Math.max(1, count)): TBin {
  return { t, sum, count, max: last, last };
}

/** One bin per value, consecutive from `from`. */
export function bins(values: readonly number[], from = T0): TBin[] {
  return values.map((v, i) => bin(from + i * BIN, v));
}

export function series(canary: TBin[], baseline: TBin[] = []): TCohortSeries<TBin> {
  return { canary, baseline };
}

export function repeat<T>(n: number, value: T): T[] {
  return Array.from({ length: n }, () => value);
}

/** Requests and errors per bin giving an error rate, for one cohort. */
export function traffic(rates: readonly number[], requestsPerBin: number, from = T0): { requests: TBin[]; errors: TBin[] } {
  return {
    requests: rates.map((_, i) => bin(from + i * BIN, requestsPerBin)),
    errors: rates.map((r, i) => bin(from + i * BIN, Math.round(r * requestsPerBin))),
  };
}

export function gate(spec: unknown): TGateSpec {
  return ZGateSpec.parse(spec);
}

/** A seed playbook's gate, defaults applied. */
export function seedGate(playbookKey: string, gateKey: string): TGateSpec {
  const playbook = BUILT_IN_PLAYBOOKS.find((p) => p.key === playbookKey);
  if (!playbook) throw new Error(`no playbook ${playbookKey}`);
  const found = ZPlaybookSpec.parse(playbook.spec).gates.find((g) => g.key === gateKey);
  if (!found) throw new Error(`no gate ${gateKey} in ${playbookKey}`);
  return found;
}

/** A judgement input; the stage has no initial delay unless the test gives one (warm-up has tests of its own). */
export function input(partial: Partial<TJudgementInput> & { gates: TGateSpec[] }): TJudgementInput {
  const stage = { key: 'canary', enteredAt: T0, trafficPercent: 5, ...partial.stage };
  return {
    now: T0 + 60_000,
    binSeconds: 10,
    releaseStartedAt: T0,
    scalars: {},
    histograms: {},
    ...partial,
    stage: { ...stage, initialDelaySeconds: stage.initialDelaySeconds ?? 0 },
  };
}

export const LATENCY_BOUNDS = [50, 100, 200, 300, 500, 1000, Infinity];

/** A histogram bin with `total` requests of which the given shares are above each finite bound (cumulative counts). */
export function histogramBin(t: number, total: number, shareAbove: readonly number[]): THistogramBin {
  const counts = shareAbove.map((s) => Math.round(total * (1 - s)));
  counts.push(total);
  return { t, counts };
}
