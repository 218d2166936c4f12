// `pnpm simulate`: seeded, reproducible rollouts through the judgement engine. Two parts: the
// production-like suite (healthy scenarios and regressions, each built-in playbook and the two-gate setting,
// at 100 and 1000 req/s: suite.ts) and the reference on clean traffic (the two-gate setting from 10 to
// 1000 req/s next to a naive z-test: simulate.ts).
//   --seed N                       the seed (default 20250101); the same seed prints the same tables
//   --scenario-runs N              healthy rollouts per scenario, load and setting (default 100)
//   --scenario-regression-runs N   rollouts per regression, background, load and setting (default 30)
//   --stage-cap-minutes N          longest a stage is simulated (default 120; the 24 h watch is cut to it)
//   --runs N                       reference: healthy rollouts per load (default 500)
//   --regression-runs N            reference: rollouts per regression, load and canary share (default 100)
//   --quick                        12 / 8 scenario runs, stages cut at 30 min, reference 50 / 10 (about
//                                  5 CPU-minutes: 2–3 minutes on two idle cores)
//   --scenarios a,b  --settings a,b   only these scenario keys / setting keys (playbook keys, two-gate)
//   --no-reference                 skip the reference part
//   --workers N                    processes to spread the rollouts over (default: the CPU count, at most 2)
//   --out PATH                     where the markdown goes (default docs/simulation.md; --no-write to skip)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from './report.js';
import { renderSuite } from './report-suite.js';
import { mergeReports, simulate } from './simulate.js';
import type { TSimulationReport } from './simulate.js';
import { mergeSuiteReports, runSuite } from './suite.js';
import type { TSuiteReport } from './suite.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REGRESSION_MINUTES = 60;
const LOADS = [100, 1000];
const MIN_STAGE_SECONDS = 600;

interface TArgs {
  seed: number;
  runs: number;
  regressionRuns: number;
  scenarioRuns: number;
  scenarioRegressionRuns: number;
  stageCapMinutes: number;
  scenarios: string[];
  settings: string[];
  reference: boolean;
  quick: boolean;
  workers: number;
  out: string | null;
  shard: { index: number; count: number } | null;
}

interface TShardReport {
  suite: TSuiteReport;
  reference: TSimulationReport | null;
}

function parseArgs(argv: string[]): TArgs {
  const args: TArgs = {
    seed: 20250101,
    runs: 500,
    regressionRuns: 100,
    scenarioRuns: 100,
    scenarioRegressionRuns: 30,
    stageCapMinutes: 120,
    scenarios: [],
    settings: [],
    reference: true,
    quick: false,
    workers: Math.min(2, availableParallelism()),
    out: resolve(REPO_ROOT, 'docs/simulation.md'),
    shard: null,
  };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number, got ${value ?? 'nothing'}`);
    return n;
  };
  const list = (value: string | undefined) => (value ?? '').split(',').filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    switch (flag) {
      case '--':
        break;
      case '--seed':
        args.seed = number(flag, argv[++i]);
        break;
      case '--runs':
        args.runs = number(flag, argv[++i]);
        break;
      case '--regression-runs':
        args.regressionRuns = number(flag, argv[++i]);
        break;
      case '--scenario-runs':
        args.scenarioRuns = number(flag, argv[++i]);
        break;
      case '--scenario-regression-runs':
        args.scenarioRegressionRuns = number(flag, argv[++i]);
        break;
      case '--stage-cap-minutes':
        args.stageCapMinutes = Math.max(1, number(flag, argv[++i]));
        break;
      case '--scenarios':
        args.scenarios = list(argv[++i]);
        break;
      case '--settings':
        args.settings = list(argv[++i]);
        break;
      case '--no-reference':
        args.reference = false;
        break;
      case '--quick':
        args.quick = true;
        args.runs = 50;
        args.regressionRuns = 10;
        args.scenarioRuns = 12;
        args.scenarioRegressionRuns = 8;
        args.stageCapMinutes = 30;
        break;
      case '--workers':
        args.workers = Math.max(1, number(flag, argv[++i]));
        break;
      case '--out':
        args.out = resolve(process.cwd(), argv[++i] ?? '');
        break;
      case '--no-write':
        args.out = null;
        break;
      case '--shard': {
        const [index, count] = (argv[++i] ?? '').split('/').map(Number);
        args.shard = { index: index ?? 0, count: count ?? 1 };
        break;
      }
      default:
        throw new Error(`unknown flag ${flag} (see the top of tools/simulate/main.ts)`);
    }
  }
  return args;
}

type TProgress = (part: string, done: number, total: number) => void;

function runShard(args: TArgs, index: number, count: number, onProgress: TProgress): TShardReport {
  const suite = runSuite({
    seed: args.seed,
    healthyRuns: args.scenarioRuns,
    regressionRuns: args.scenarioRegressionRuns,
    loads: LOADS,
    limits: { minStageSeconds: MIN_STAGE_SECONDS, maxStageSeconds: args.stageCapMinutes * 60 },
    regressionMinutes: REGRESSION_MINUTES,
    scenarios: args.scenarios,
    configs: args.settings,
    shard: { index, count },
    onProgress: (d, t) => onProgress('suite', d, t),
  });
  const reference = args.reference
    ? simulate({
        seed: args.seed,
        healthyRuns: args.runs,
        regressionRuns: args.regressionRuns,
        regressionMinutes: REGRESSION_MINUTES,
        shard: { index, count },
        onProgress: (d, t) => onProgress('reference', d, t),
      })
    : null;
  return { suite, reference };
}

/** Runs shard i of n in a child process (the same entry with --shard), which prints its report as JSON. */
function childShard(argv: string[], index: number, count: number, onProgress: TProgress): Promise<TShardReport> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv, '--shard', `${index}/${count}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      const matches = [...text.matchAll(/progress (\w+) (\d+)\/(\d+)/g)];
      for (const m of matches) onProgress(m[1]!, Number(m[2]), Number(m[3]));
      if (matches.length === 0) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`simulation shard ${index} exited with ${code}`));
      else resolvePromise(JSON.parse(out) as TShardReport);
    });
  });
}

function command(args: TArgs): string {
  const parts = ['pnpm simulate'];
  if (args.quick) parts.push('--quick');
  else parts.push(`--scenario-runs ${args.scenarioRuns} --scenario-regression-runs ${args.scenarioRegressionRuns} --stage-cap-minutes ${args.stageCapMinutes} --runs ${args.runs} --regression-runs ${args.regressionRuns}`);
  if (args.seed !== 20250101) parts.push(`--seed ${args.seed}`);
  if (args.scenarios.length > 0) parts.push(`--scenarios ${args.scenarios.join(',')}`);
  if (args.settings.length > 0) parts.push(`--settings ${args.settings.join(',')}`);
  if (!args.reference) parts.push('--no-reference');
  return parts.join(' ');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.shard) {
    const report = runShard(args, args.shard.index, args.shard.count, (part, done, total) => process.stderr.write(`progress ${part} ${done}/${total}\n`));
    process.stdout.write(JSON.stringify(report));
    return;
  }
  const began = performance.now();
  const progress = new Map<string, [number, number]>();
  let shown = -1;
  const show = (i: number) => (part: string, done: number, total: number) => {
    progress.set(`${i}/${part}`, [done, total]);
    const d = [...progress.values()].reduce((n, p) => n + p[0], 0);
    const t = [...progress.values()].reduce((n, p) => n + p[1], 0);
    // On a terminal every step; in a log every 5%.
    const step = process.stderr.isTTY ? d : Math.floor((20 * d) / Math.max(1, t));
    if (step === shown) return;
    shown = step;
    process.stderr.write(process.stderr.isTTY ? `\rsimulating: ${d}/${t} rollouts` : `simulating: ${d}/${t} rollouts\n`);
  };
  const reports =
    args.workers === 1
      ? [runShard(args, 0, 1, show(0))]
      : await Promise.all(Array.from({ length: args.workers }, (_, i) => childShard(argv, i, args.workers, show(i))));
  process.stderr.write('\n');
  const suite = mergeSuiteReports(reports.map((r) => r.suite));
  const references = reports.flatMap((r) => (r.reference ? [r.reference] : []));
  const reference = references.length > 0 ? mergeReports(references) : null;

  const suiteRollouts = suite.healthy.reduce((n, r) => n + r.runs, 0) + suite.regressions.reduce((n, r) => n + r.runs, 0);
  const lines: string[] = [];
  lines.push('# Canary judgement: simulation');
  lines.push('');
  lines.push(
    `Produced by \`${command(args)}\` (seed ${args.seed}). Every rollout is judged every 10 s by \`judge\` from \`@rampart/domain\`, as the autopilot calls it, ` +
      'on metrics binned as the database bins them (10 s `date_bin`, duplicates dropped, only points that have arrived). ' +
      'A rollout counts as acted on when a gate of severity pause or rollback fails at any judgement; warnings are counted apart. ' +
      `Part one, production-like traffic: ${suiteRollouts.toLocaleString('en-US')} rollouts, ${suite.judgements.toLocaleString('en-US')} judgements, ` +
      `each scenario at ${LOADS.join(' and ')} req/s total load with every built-in playbook as shipped and with the documented two-gate setting.` +
      (reference ? ' Part two, the reference: the two-gate setting on clean traffic from 10 to 1000 req/s, next to a naive z-test.' : ''),
  );
  lines.push('');
  lines.push(renderSuite(suite, { regressionMinutes: REGRESSION_MINUTES }));
  if (reference) {
    const body = renderMarkdown(reference, { seed: args.seed, regressionMinutes: REGRESSION_MINUTES, command: command(args) })
      .split('\n')
      .slice(1)
      .map((line) => (line.startsWith('## ') ? `### ${line.slice(3)}` : line));
    lines.push('## Reference: clean traffic, two-gate setting');
    lines.push(...body);
  }
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  if (args.out) {
    writeFileSync(args.out, `${markdown}\n`);
    process.stderr.write(`written to ${args.out}\n`);
  }
  process.stderr.write(`${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
