// consecutive_failures: the canary's health checks (health_ok: 1 passing, 0 failing) failing `failures`
// times in a row, or failing without a success for `failingForSeconds`.
//
// Bins hold each bin's checks (count) and passes (sum), not their order, so the run of failures is read back
// from the latest bin: every bin with no pass adds all its checks; the bin with the last pass adds one
// failure if its latest check failed (`last` is 0), and the run starts at that bin's end. This is exact when
// a bin holds at most one check (checks every 10 s or slower) and never overstates a run otherwise. Bins
// without checks neither break nor extend a run. The run lasts until the end of its latest bin (or now).
import type { TGateEvaluation, TGateSpec, TGateVerdict } from '@rampart/contracts';
import { formatCount, formatSeconds } from './format.js';
import type { TBin, TJudgementInput } from './input.js';
import { firstAtOrAfter } from './series.js';
import { gateEvaluation } from './evaluation.js';
import { judgedFrom } from './timing.js';

export type TConsecutiveFailuresGate = Extract<TGateSpec, { kind: 'consecutive_failures' }>;

export function evaluateConsecutiveFailures(gate: TConsecutiveFailuresGate, input: TJudgementInput): TGateEvaluation {
  const binMs = input.binSeconds * 1000;
  const sustain = gate.sustainSeconds ?? 0;
  const metric = gate.metric ?? 'health_ok';
  // Checks must be recent: none in this trailing window (since the stage began) is "no data".
  const windowSeconds = Math.max(60, gate.failingForSeconds ?? 0, sustain + input.binSeconds);
  const all: readonly TBin[] = input.scalars[metric]?.canary ?? [];
  // Bins since the stage began, up to now, read backwards in place (no copy of a long stage).
  const start = judgedFrom(input, gate);
  if (input.now < start) {
    return gateEvaluation(gate, 'inconclusive', `Warming up: health checks are judged from ${formatSeconds((start - input.stage.enteredAt) / 1000)} after the stage began.`, {});
  }
  const first = firstAtOrAfter(all, start);
  let last = firstAtOrAfter(all, input.now + 1) - 1;
  const windowFrom = Math.max(start, input.now - windowSeconds * 1000);
  let recentChecks = 0;
  for (let i = last; i >= first && all[i]!.t >= windowFrom; i--) recentChecks += all[i]!.count;

  // The trailing run of failures.
  let failuresInRun = 0;
  let runStart: number | null = null;
  let lastWithData: TBin | null = null;
  const runBins: { end: number; failures: number }[] = []; // newest first
  for (; last >= first; last--) {
    const b = all[last]!;
    if (b.count <= 0) continue;
    lastWithData ??= b;
    if (b.sum <= 0) {
      failuresInRun += b.count;
      runStart = b.t;
      runBins.push({ end: b.t + binMs, failures: b.count });
      continue;
    }
    if (b.last === 0 && b.count - b.sum > 0) {
      failuresInRun += 1;
      runStart = b.t + binMs;
      runBins.push({ end: b.t + binMs, failures: 1 });
    }
    break;
  }
  const runEnd = lastWithData ? Math.min(input.now, lastWithData.t + binMs) : input.now;
  const failingFor = runStart === null ? 0 : Math.max(0, (runEnd - runStart) / 1000);

  // When each condition became true, to hold it for sustainSeconds.
  let trueSince: number | null = null;
  if (gate.failures !== undefined && failuresInRun >= gate.failures) {
    let cumulative = 0;
    for (let i = runBins.length - 1; i >= 0; i--) {
      cumulative += runBins[i]!.failures;
      if (cumulative >= gate.failures) {
        trueSince = Math.min(runBins[i]!.end, runEnd);
        break;
      }
    }
  }
  if (gate.failingForSeconds !== undefined && runStart !== null && failingFor >= gate.failingForSeconds) {
    const since = runStart + gate.failingForSeconds * 1000;
    trueSince = trueSince === null ? since : Math.min(trueSince, since);
  }
  const heldFor = trueSince === null ? null : Math.max(0, (runEnd - trueSince) / 1000);

  const limits = [
    gate.failures !== undefined ? `${gate.failures} failure${gate.failures === 1 ? '' : 's'} in a row` : null,
    gate.failingForSeconds !== undefined ? `failing for ${formatSeconds(gate.failingForSeconds)}` : null,
  ].filter((s) => s !== null).join(' or ');

  const result = (verdict: TGateVerdict, summary: string): TGateEvaluation =>
    gateEvaluation(
      gate,
      verdict,
      summary,
      {
        canary: failuresInRun,
        threshold: gate.failures ?? null,
        windowSeconds,
        sampleSize: recentChecks,
        breachedForSeconds: failingFor,
      },
      metric,
    );

  if (recentChecks === 0) {
    return result('inconclusive', `No canary health checks in the last ${formatSeconds(windowSeconds)} of this stage.`);
  }
  const runText =
    failuresInRun === 0
      ? 'The latest canary health check passed'
      : `Canary health checks have failed ${formatCount(failuresInRun)} time${failuresInRun === 1 ? '' : 's'} in a row (for ${formatSeconds(failingFor)})`;
  if (heldFor !== null && heldFor >= sustain) {
    return result(gate.severity === 'warn' ? 'warn' : 'fail', `${runText}, reaching the limit of ${limits}.`);
  }
  return result('pass', `${runText}; the limit is ${limits} (${formatCount(recentChecks)} checks in the last ${formatSeconds(windowSeconds)}).`);
}
