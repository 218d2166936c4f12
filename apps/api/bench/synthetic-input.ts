import type { TPlaybookSpec } from '@rampart/contracts';
import { gateMetrics } from '@rampart/contracts';
import type { TBin, TCohortSeries, TJudgementInput } from '@rampart/domain';

const BIN_SECONDS = 10;
const HOUR_BINS = 360;

function series(bins: number, value: (i: number, cohort: 'canary' | 'baseline') => number): TCohortSeries<TBin> {
  const make = (cohort: 'canary' | 'baseline') =>
    Array.from({ length: bins }, (_, i) => {
      const v = value(i, cohort);
      return { t: i * BIN_SECONDS * 1000, sum: v, count: 1, max: v, last: v };
    });
  return { canary: make('canary'), baseline: make('baseline') };
}

/** An hour of healthy 10-second bins for every metric the playbook's gates name, varied per release. */
export function syntheticJudgementInput(spec: TPlaybookSpec, seed: number): TJudgementInput {
  const stage = spec.stages[1] ?? spec.stages[0]!;
  const metrics = new Set(gateMetrics(spec.gates));
  const scalars: TJudgementInput['scalars'] = {
    requests: series(HOUR_BINS, (_, c) => (c === 'canary' ? 500 : 9500)),
    errors: series(HOUR_BINS, (i, c) => ((i + seed) % 7 === 0 ? 2 : 1) * (c === 'canary' ? 2 : 38)),
    latency_p95_ms: series(HOUR_BINS, (i) => 300 + ((i + seed) % 13)),
    latency_p99_ms: series(HOUR_BINS, (i) => 600 + ((i + seed) % 17)),
    health_ok: series(HOUR_BINS, () => 1),
  };
  for (const metric of metrics) {
    scalars[metric] ??= series(HOUR_BINS, () => 0.98);
  }
  const now = HOUR_BINS * BIN_SECONDS * 1000;
  return {
    now,
    binSeconds: BIN_SECONDS,
    stage: { key: stage.key, enteredAt: 0, trafficPercent: stage.trafficPercent },
    releaseStartedAt: 0,
    gates: spec.gates,
    scalars,
    histograms: {},
  };
}
