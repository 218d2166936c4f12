// The simulation's numbers as the markdown the README carries, and the statistics behind them.
import { logFactorial } from './random.js';
import { FAMILY_ALPHA, HEALTHY_PLAN } from './simulate.js';
import type { TRegressionRow, TSimulationReport } from './simulate.js';

function binomialCdf(x: number, n: number, p: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let sum = 0;
  for (let k = 0; k <= x; k++) {
    sum += Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
  }
  return Math.min(1, sum);
}

/** Clopper-Pearson one-sided upper confidence bound for a binomial proportion (x successes of n). */
export function upperBound(x: number, n: number, confidence: number): number {
  if (n === 0 || x >= n) return 1;
  let lo = x / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(x, n, mid) > 1 - confidence) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Clopper-Pearson one-sided lower confidence bound. */
export function lowerBound(x: number, n: number, confidence: number): number {
  if (x <= 0) return 0;
  let lo = 0;
  let hi = x / n;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (1 - binomialCdf(x - 1, n, mid) < 1 - confidence) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Nearest-rank percentile of detection times; a run that never detected counts as infinitely late. */
export function percentile(times: readonly (number | null)[], q: number): number {
  if (times.length === 0) return Infinity;
  const sorted = times.map((t) => t ?? Infinity).sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

function share(x: number, n: number): string {
  return n === 0 ? 'n/a' : `${((100 * x) / n).toFixed(1)}%`;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

export function duration(seconds: number, cap: number): string {
  if (!Number.isFinite(seconds)) return `> ${cap / 60} min`;
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

const REGRESSION_NAMES: Record<string, string> = {
  errors_x2: 'errors ×2',
  errors_x5: 'errors ×5',
  'latency_+20%': 'latency +20%',
  'latency_+50%': 'latency +50%',
  'errors_drift_x2_30min': 'errors drifting to ×2 over 30 min',
};

function find(report: TSimulationReport, regression: string, rps: number, percent: number): TRegressionRow | undefined {
  return report.regressions.find((r) => r.regression === regression && r.rps === rps && r.canaryPercent === percent);
}

export function renderMarkdown(report: TSimulationReport, meta: { seed: number; regressionMinutes: number; command: string }): string {
  const cap = meta.regressionMinutes * 60;
  const lines: string[] = [];
  const totalRuns = report.healthy.reduce((n, r) => n + r.runs, 0);
  const eTotal = report.healthy.reduce((n, r) => n + r.eFailures, 0);
  const zTotal = report.healthy.reduce((n, r) => n + r.zFailures, 0);
  const plan = HEALTHY_PLAN.map((s) => `${s.percent}% for ${s.seconds / 60} min`).join(', ');
  lines.push('# Canary judgement: simulation');
  lines.push('');
  lines.push(
    `Produced by \`${meta.command}\` (seed ${meta.seed}; ${totalRuns.toLocaleString('en-US')} healthy and ` +
      `${report.regressions.reduce((n, r) => n + r.runs, 0).toLocaleString('en-US')} regressed rollouts, ` +
      `${report.judgements.toLocaleString('en-US')} judgements). Every rollout is judged every 10 s by \`judge\` from ` +
      '`@rampart/domain`, exactly as the autopilot calls it, with two sequential gates (error rate and latency, ' +
      `α = 2.5% each, family-wise ${FAMILY_ALPHA * 100}%). Traffic: Poisson requests in 10-second bins; a base error rate ` +
      'swinging daily between 0.5% and 1.5% and a log-normal latency (median 100 ms ± 20% daily, P95 ≈ 230 ms) shared by ' +
      'both cohorts; Prometheus-style latency buckets.',
  );
  lines.push('');
  lines.push(`## Healthy rollouts: wrongly failed (false positives)`);
  lines.push('');
  lines.push(`Stages ${plan}; a rollout counts as wrongly failed if any sequential gate fails at any of its 720 judgements.`);
  lines.push('The naive test is a one-sided two-proportion z-test (error rate; share of requests above the bucket bound nearest the baseline P95) over the current stage, re-run every 10 s at the same 2.5% per gate.');
  lines.push('');
  lines.push('| base load | rollouts | sequential e-process | 95% upper bound | naive z-test re-run every 10 s |');
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  for (const r of report.healthy) {
    lines.push(
      `| ${r.rps} req/s | ${r.runs} | ${share(r.eFailures, r.runs)} (${r.eFailures}) | ${pct(upperBound(r.eFailures, r.runs, 0.95))} | ${share(r.zFailures, r.runs)} (${r.zFailures}) |`,
    );
  }
  lines.push(
    `| **all** | ${totalRuns} | **${share(eTotal, totalRuns)}** (${eTotal}) | ${pct(upperBound(eTotal, totalRuns, 0.95))} | **${share(zTotal, totalRuns)}** (${zTotal}) |`,
  );
  lines.push('');
  lines.push('## Regressions: time to detection');
  lines.push('');
  lines.push(
    `The canary runs at a fixed share from the release start with the regression present from the start (the drift from ×1 at the start); a run lasts ${meta.regressionMinutes} min. ` +
      'Times are from the start of the regression to the first failing judgement; the median and 90th percentile count undetected runs as infinitely late.',
  );
  lines.push('');
  lines.push('| regression | total load | canary | runs | detected | median | p90 | z-test detected | z-test median |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of report.regressions) {
    const eDetected = r.eTimes.filter((t) => t !== null).length;
    const zDetected = r.zTimes.filter((t) => t !== null).length;
    lines.push(
      `| ${REGRESSION_NAMES[r.regression] ?? r.regression} | ${r.rps} req/s | ${r.canaryPercent}% | ${r.runs} | ${share(eDetected, r.runs)} | ${duration(percentile(r.eTimes, 0.5), cap)} | ${duration(percentile(r.eTimes, 0.9), cap)} | ${share(zDetected, r.runs)} | ${duration(percentile(r.zTimes, 0.5), cap)} |`,
    );
  }
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  const fp = totalRuns === 0 ? 0 : eTotal / totalRuns;
  lines.push(`- Healthy rollouts wrongly failed, family-wise, every 10 s over whole rollouts: ${share(eTotal, totalRuns)} (target ≤ 5%: ${fp <= 0.05 ? 'met' : 'NOT met'}); the naive z-test: ${share(zTotal, totalRuns)}.`);
  const doubled = find(report, 'errors_x2', 1000, 1);
  if (doubled) {
    const m = percentile(doubled.eTimes, 0.5);
    const p90 = percentile(doubled.eTimes, 0.9);
    lines.push(
      `- Error rate doubled (1% → 2%), canary at 1% of 1,000 req/s: median ${duration(m, cap)} (target ≤ 3 min: ${m <= 180 ? 'met' : 'NOT met'}), p90 ${duration(p90, cap)} (target ≤ 6 min: ${p90 <= 360 ? 'met' : 'NOT met'}).`,
    );
  }
  const latency = find(report, 'latency_+20%', 1000, 1);
  if (latency) {
    const p90 = percentile(latency.eTimes, 0.9);
    lines.push(`- P95 latency +20%, canary at 1% of 1,000 req/s: p90 ${duration(p90, cap)} (target ≤ 2 min: ${p90 <= 120 ? 'met' : 'NOT met'}).`);
  }
  lines.push('- Never a pass on too little evidence: a sequential gate passes only with ≥ 100 canary requests, ≥ 20 baseline events and ≥ 5 canary events expected under the null; below that it is inconclusive.');
  lines.push('');
  return lines.join('\n');
}
