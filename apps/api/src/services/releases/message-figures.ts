// The live figures the message templates quote: each cohort's error rate and P95 over the last
// five minutes, and the failing gates of the latest analysis.
import type { TCohort } from '@rampart/contracts';
import type { Db, Tx } from '../../db/prisma.js';
import { currentAnalysis } from '../judgement/stored-analysis.js';
import type { TReleaseRecord } from './release-record.js';

const RECENT_MS = 5 * 60_000;

export interface TMessageFigures {
  errorRate: string;
  baselineErrorRate: string;
  latencyP95: string;
  baselineLatencyP95: string;
  health: 'Healthy' | 'Degraded' | 'Unknown';
  issues: string;
}

export const NO_FIGURES: TMessageFigures = {
  errorRate: 'n/a',
  baselineErrorRate: 'n/a',
  latencyP95: 'n/a',
  baselineLatencyP95: 'n/a',
  health: 'Unknown',
  issues: 'None',
};

const percent = (errors: number, requests: number) => (requests > 0 ? `${((100 * errors) / requests).toFixed(2)}%` : 'n/a');
const milliseconds = (value: number | undefined) =>
  value === undefined ? 'n/a' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;

export async function loadMessageFigures(db: Db | Tx, record: TReleaseRecord, now: Date): Promise<TMessageFigures> {
  const rows = await db.$queryRaw<{ cohort: TCohort; metric: string; total: number; mean: number }[]>`
    SELECT cohort::text AS cohort, metric, sum(value)::float8 AS total, avg(value)::float8 AS mean
    FROM "MetricPoint"
    WHERE "releaseId" = ${record.row.id}::uuid AND metric IN ('requests', 'errors', 'latency_p95_ms')
      AND ts > ${new Date(now.getTime() - RECENT_MS)} AND ts <= ${now}
    GROUP BY cohort, metric`;
  const value = (cohort: TCohort, metric: string, field: 'total' | 'mean') =>
    rows.find((r) => r.cohort === cohort && r.metric === metric)?.[field];
  const rate = (cohort: TCohort) => percent(value(cohort, 'errors', 'total') ?? 0, value(cohort, 'requests', 'total') ?? 0);

  const analysis = currentAnalysis(record);
  const failing = analysis?.gates.filter((g) => g.verdict === 'fail' || g.verdict === 'warn') ?? [];
  const rolledBack = record.row.state === 'rolling_back' || record.row.state === 'rolled_back';
  const health = rolledBack || failing.length > 0 ? 'Degraded' : analysis?.verdict === 'pass' ? 'Healthy' : 'Unknown';
  return {
    errorRate: rate('canary'),
    baselineErrorRate: rate('baseline'),
    latencyP95: milliseconds(value('canary', 'latency_p95_ms', 'mean')),
    baselineLatencyP95: milliseconds(value('baseline', 'latency_p95_ms', 'mean')),
    health,
    issues: failing.length > 0 ? failing.map((g) => g.summary).join(' ') : 'None',
  };
}
