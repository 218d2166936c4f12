// What the judgement engine reads: metric points aggregated by the database into fixed time bins
// (`date_bin('<binSeconds> seconds', ts, <origin>)` grouped by cohort and metric), so the API feeds it
// straight from SQL aggregates: SUM(value), COUNT(*), MAX(value) and the last value of each bin.
import type { TGateSpec, TIncidentSeverity, TProblemKind } from '@rampart/contracts';

/** One metric's points in one time bin of one cohort. */
export interface TBin {
  /** Bin start, epoch ms. */
  t: number;
  /** Sum of the points' values: requests and errors are per-window counts, so this is the bin's count. */
  sum: number;
  /** Number of points. Gauges (latency percentiles, business rates) use sum / count as the bin's mean. */
  count: number;
  max: number;
  /** The value of the bin's latest point. */
  last: number;
}

/** One latency histogram's buckets in one time bin of one cohort. */
export interface THistogramBin {
  t: number;
  /** Cumulative counts per bound (Prometheus `le`), summed over the bin's windows; the last is the +Inf count. */
  counts: number[];
}

/** Both cohorts' bins of one metric, each in ascending `t`. */
export interface TCohortSeries<B> {
  canary: B[];
  baseline: B[];
}

export interface THistogramSeries {
  /** Ascending upper bounds; the last is Infinity. */
  bounds: number[];
  series: TCohortSeries<THistogramBin>;
}

/** A problem reported on the release, as the incidents gate reads it. */
export interface TReportedIncident {
  kind: TProblemKind;
  severity: TIncidentSeverity | null;
  title: string;
  /** Epoch ms. */
  startedAt: number;
}

export interface TJudgementInput {
  /** Epoch ms, from the injected clock. */
  now: number;
  /** The bin width the database aggregated with, e.g. 10. */
  binSeconds: number;
  /** The current stage; `initialDelaySeconds` omitted means DEFAULT_INITIAL_DELAY_SECONDS. */
  stage: { key: string; enteredAt: number; trafficPercent: number; initialDelaySeconds?: number };
  /** The release's start: the origin of the bins. */
  releaseStartedAt: number;
  /** The playbook's gates; the engine judges those whose `stages` include the current stage (or have none). */
  gates: TGateSpec[];
  /** By metric name: requests, errors, latency_p95_ms, health_ok, business metrics... */
  scalars: Record<string, TCohortSeries<TBin>>;
  /** By metric name, e.g. latency_ms. */
  histograms: Record<string, THistogramSeries>;
  /** The release's family-wise false-positive level, split evenly over its sequential gates. Default 0.05. */
  familyAlpha?: number;
  /** Problems reported on the release, oldest first; the incidents gate reads them. */
  incidents?: readonly TReportedIncident[];
}
