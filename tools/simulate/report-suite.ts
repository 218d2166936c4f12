// The production-like suite as markdown: the settings, the scenarios, the healthy rollouts acted on, and
// the time to act on each regression.
import { HEALTHY_SCENARIOS, REGRESSION_SCENARIOS } from './scenarios.js';
import { TWO_GATE_KEY } from './configs.js';
import { duration, percentile, upperBound } from './report.js';
import type { THealthyResult, TRegressionResult, TSuiteReport } from './suite.js';

/** Healthy scenarios' goal: acted on in at most this share of rollouts. */
export const HEALTHY_GOAL = 0.05;
export const SILENT_GATE = 'rampart-canary-silent';

function pct(x: number, n: number): string {
  return n === 0 ? 'n/a' : `${((100 * x) / n).toFixed(x === 0 || x === n ? 0 : 1)}%`;
}

function short(seconds: number, cap: number): string {
  return duration(seconds, cap).replace(/ min/g, 'm').replace(/ s$/, 's').replace(/m (\d+)s/, 'm$1s');
}

function healthyCell(row: THealthyResult | undefined): string {
  if (!row || row.runs === 0) return '–';
  const silent = row.actedBy[SILENT_GATE] ?? 0;
  const acted = pct(row.acted, row.runs);
  const mark = row.acted / row.runs > HEALTHY_GOAL ? `**${acted}**` : acted;
  const extra = [row.warnOnly > 0 ? `w ${pct(row.warnOnly, row.runs)}` : '', silent > 0 ? `silent ${silent}` : ''].filter(Boolean).join(', ');
  return extra ? `${mark} (${extra})` : mark;
}

function timesCell(times: readonly (number | null)[], runs: number, preOnset: number, cap: number, warnTimes?: readonly (number | null)[]): string {
  if (runs === 0) return '–';
  const acted = times.filter((t) => t !== null).length;
  const pre = preOnset > 0 ? `, ${preOnset} before onset` : '';
  if (acted === 0) {
    const warned = warnTimes?.filter((t) => t !== null).length ?? 0;
    return warned > 0 ? `none (warn ${short(percentile(warnTimes!, 0.5), cap)}${pre})` : `none${pre ? ` (${pre.slice(2)})` : ''}`;
  }
  const share = acted === times.length ? '' : ` (${pct(acted, times.length)})`;
  return `${short(percentile(times, 0.5), cap)} / ${short(percentile(times, 0.9), cap)}${share}${pre}`;
}

function byGate(rows: readonly { actedBy: Record<string, number> }[]): [string, number][] {
  const counts: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r.actedBy)) counts[k] = (counts[k] ?? 0) + v;
  return Object.entries(counts).sort((a, b) => b[1] - a[1]);
}

/** A gate's acting rollouts: how many, in which scenarios, and the median time into the stage. */
function gateLine(rows: readonly THealthyResult[], gate: string, count: number): string {
  const into = rows.flatMap((r) => r.actedIntoStage[gate] ?? []);
  const scenarios = [...new Set(rows.filter((r) => (r.actedBy[gate] ?? 0) > 0).map((r) => r.scenario))];
  return `${gate} ${count} (median ${short(percentile(into, 0.5), Infinity)} into its stage; ${scenarios.join(', ')})`;
}

export function renderSuite(report: TSuiteReport, meta: { regressionMinutes: number }): string {
  const cap = meta.regressionMinutes * 60;
  const configs = report.configs.map((c) => c.key);
  const loads = [...new Set(report.healthy.map((r) => r.rps).concat(report.regressions.map((r) => r.rps)))].sort((a, b) => a - b);
  const lines: string[] = [];
  const healthyFind = (scenario: string, rps: number, config: string) => report.healthy.find((r) => r.scenario === scenario && r.rps === rps && r.config === config);
  const regFind = (regression: string, background: string, rps: number, config: string) =>
    report.regressions.find((r) => r.regression === regression && r.background === background && r.rps === rps && r.config === config);

  lines.push('## Gate settings');
  lines.push('');
  lines.push('Each built-in playbook is judged with its own stages (0% stages skipped; stages shorter than the simulation\'s minimum held that long; longer ones cut at its maximum), gates and traffic percentages, against a healthy service that meets its own absolute lines; the two-gate setting on the reference service.');
  lines.push('');
  lines.push('| setting | stages simulated | gates | healthy service |');
  lines.push('| --- | --- | ---: | --- |');
  for (const c of report.configs) lines.push(`| ${c.label} | ${c.stages} | ${c.gates} | ${c.profile} |`);
  lines.push('');
  lines.push('## Scenarios');
  lines.push('');
  for (const s of HEALTHY_SCENARIOS) lines.push(`- **${s.name}**: ${s.description}`);
  lines.push('');

  const scenarios = HEALTHY_SCENARIOS.filter((s) => report.healthy.some((r) => r.scenario === s.key && r.runs > 0));
  if (scenarios.length > 0) {
    lines.push('## Healthy rollouts acted on');
    lines.push('');
    lines.push(
      `Share of healthy rollouts in which a gate of severity pause or rollback failed at some judgement (the rollout stops there); bold above the ${HEALTHY_GOAL * 100}% goal. ` +
        '"w": warned (a warn gate fired) but never acted on. "silent n": n of the acted rollouts were paused by the built-in canary-silent check.',
    );
    lines.push('');
    lines.push(`| scenario | load | ${configs.join(' | ')} |`);
    lines.push(`| --- | ---: | ${configs.map(() => '---:').join(' | ')} |`);
    for (const s of scenarios) {
      for (const rps of loads) {
        lines.push(`| ${s.name} | ${rps} req/s | ${configs.map((c) => healthyCell(healthyFind(s.key, rps, c))).join(' | ')} |`);
      }
    }
    const runs = report.healthy[0]?.runs ?? 0;
    lines.push('');
    lines.push(`${runs} rollouts per cell (95% upper bound at 0 acted: ${(100 * upperBound(0, runs, 0.95)).toFixed(0)}%).`);
    lines.push('');
    lines.push('Gates that acted on healthy rollouts (count over all scenarios and loads, the median time into the stage when they did, the scenarios):');
    lines.push('');
    for (const c of configs) {
      const rows = report.healthy.filter((r) => r.config === c);
      const gates = byGate(rows);
      if (gates.length > 0) lines.push(`- ${c}: ${gates.map(([g, n]) => gateLine(rows, g, n)).join('; ')}`);
    }
    lines.push('');
  }

  const regressions = REGRESSION_SCENARIOS.filter((r) => report.regressions.some((x) => x.regression === r.key && x.runs > 0));
  if (regressions.length > 0) {
    const backgrounds = [...new Set(report.regressions.map((r) => r.background))];
    const percentOf = (c: string) => report.regressions.find((r) => r.config === c)?.percent;
    const header = `| regression | background | load | ${configs.map((c) => `${c} (${percentOf(c) ?? '?'}%)`).join(' | ')} |`;
    const rule = `| --- | --- | ---: | ${configs.map(() => '---:').join(' | ')} |`;
    const table = (pick: (r: TRegressionResult) => readonly (number | null)[], warn: boolean) => {
      lines.push(header);
      lines.push(rule);
      for (const reg of regressions) {
        for (const bg of backgrounds) {
          for (const rps of loads) {
            const cells = configs.map((c) => {
              const row = regFind(reg.key, bg, rps, c);
              return row ? timesCell(pick(row), row.runs, row.preOnset, cap, warn ? row.warnTimes : undefined) : '–';
            });
            lines.push(`| ${reg.name} | ${bg} | ${rps} req/s | ${cells.join(' | ')} |`);
          }
        }
      }
      lines.push('');
    };
    lines.push('## Regressions: time to act');
    lines.push('');
    lines.push(
      `Each setting's first stage with traffic (its canary share in the header), held for ${meta.regressionMinutes} min after the regression starts (at the stage's start, or after a healthy hour). ` +
        'A cell is "median / p90" of the time to the first failing pause or rollback gate, undetected runs counting as infinitely late, with the share acted on when not all; "none (warn t)": never acted on, warned at a median t; "n before onset": acted on during the healthy hour (left out of the times).',
    );
    lines.push('');
    for (const r of regressions) lines.push(`- **${r.name}**: ${r.description}`);
    lines.push(
      '- Backgrounds: **clean** (10 s pushes, on time) and **mixed** (every healthy effect above, including the harmless 1.1× and the per-minute pipeline, where no action can come before the first push showing the regression).',
    );
    lines.push('');
    lines.push('From the start of the regression:');
    lines.push('');
    table((r) => r.times, true);
    lines.push("From the later of the regression's start and the end of the stage's initial delay:");
    lines.push('');
    table((r) => r.afterDelay, false);

    lines.push('## Targets');
    lines.push('');
    const goal = (ok: boolean) => (ok ? 'met' : '**NOT met**');
    for (const bg of backgrounds) {
      const x2 = regFind('errors-x2', bg, 1000, TWO_GATE_KEY);
      if (x2) {
        const m = percentile(x2.times, 0.5);
        const p90 = percentile(x2.times, 0.9);
        lines.push(`- Errors ×2 at a 1% canary of 1000 req/s (two-gate, ${bg}): median ${short(m, cap)} (≤ 3 min: ${goal(m <= 180)}), p90 ${short(p90, cap)} (≤ 6 min: ${goal(p90 <= 360)}).`);
      }
      const lat = regFind('latency+20', bg, 1000, TWO_GATE_KEY);
      if (lat) {
        const p90 = percentile(lat.times, 0.9);
        lines.push(`- P95 +20% at a 1% canary of 1000 req/s (two-gate, ${bg}): p90 ${short(p90, cap)} (≤ 2 min: ${goal(p90 <= 120)}).`);
      }
    }
    const outageMisses: string[] = [];
    const lateMisses: string[] = [];
    for (const r of report.regressions) {
      // On the per-minute pipeline the first point showing an outage arrives a minute or more after it began.
      if (r.regression.startsWith('outage') && r.background === 'clean' && percentile(r.times, 0.9) > 30) outageMisses.push(`${r.config} ${r.regression} ${r.background} ${r.rps} (p90 ${short(percentile(r.times, 0.9), cap)})`);
      if (r.regression === 'errors-x2-late') {
        const early = regFind('errors-x2', r.background, r.rps, r.config);
        if (!early) continue;
        const a = percentile(r.times, 0.5);
        const b = percentile(early.times, 0.5);
        if (Number.isFinite(b) && !(a <= 1.5 * b)) lateMisses.push(`${r.config} ${r.background} ${r.rps} (${short(a, cap)} against ${short(b, cap)})`);
      }
    }
    lines.push(`- Canary outage acted on within 30 s (p90), every setting and load, clean background (10 s pushes): ${outageMisses.length === 0 ? 'met' : `**NOT met** for ${outageMisses.join('; ')}`}.`);
    lines.push(`- Errors ×2 after a healthy hour caught within 1.5× the median at the start (where the start is caught): ${lateMisses.length === 0 ? 'met' : `**NOT met** for ${lateMisses.join('; ')}`}.`);
    const over = report.healthy.filter((r) => r.runs > 0 && r.acted / r.runs > HEALTHY_GOAL);
    lines.push(
      `- Healthy rollouts acted on in at most ${HEALTHY_GOAL * 100}%: ${over.length === 0 ? 'met in every cell' : `**NOT met** in ${over.length} of ${report.healthy.length} cells`}.`,
    );
    lines.push('');
  }
  return lines.join('\n');
}
