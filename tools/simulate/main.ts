// `pnpm simulate`: thousands of rollouts through the judgement engine, seeded and reproducible.
//   --seed N              the seed (default 20250101); the same seed prints the same table
//   --runs N              healthy rollouts per load level (default 500)
//   --regression-runs N   rollouts per regression, load and canary share (default 100)
//   --quick               --runs 100 --regression-runs 30
//   --workers N           processes to spread the rollouts over (default: the CPU count, at most 4)
//   --out PATH            where the markdown goes (default docs/simulation.md; --no-write to skip)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from './report.js';
import { mergeReports, simulate } from './simulate.js';
import type { TSimulationReport } from './simulate.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REGRESSION_MINUTES = 60;

interface TArgs {
  seed: number;
  runs: number;
  regressionRuns: number;
  workers: number;
  out: string | null;
  shard: { index: number; count: number } | null;
}

function parseArgs(argv: string[]): TArgs {
  const args: TArgs = {
    seed: 20250101,
    runs: 500,
    regressionRuns: 100,
    workers: Math.min(4, availableParallelism()),
    out: resolve(REPO_ROOT, 'docs/simulation.md'),
    shard: null,
  };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number, got ${value ?? 'nothing'}`);
    return n;
  };
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
      case '--quick':
        args.runs = 100;
        args.regressionRuns = 30;
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

function runShard(args: TArgs, index: number, count: number, onProgress: (done: number, total: number) => void): TSimulationReport {
  return simulate({
    seed: args.seed,
    healthyRuns: args.runs,
    regressionRuns: args.regressionRuns,
    regressionMinutes: REGRESSION_MINUTES,
    shard: { index, count },
    onProgress,
  });
}

/** Runs shard i of n in a child process (the same entry with --shard), which prints its report as JSON. */
function childShard(argv: string[], index: number, count: number, onProgress: (done: number, total: number) => void): Promise<TSimulationReport> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv, '--shard', `${index}/${count}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const m = /progress (\d+)\/(\d+)/.exec(chunk.toString());
      if (m) onProgress(Number(m[1]), Number(m[2]));
      else process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`simulation shard ${index} exited with ${code}`));
      else resolvePromise(JSON.parse(out) as TSimulationReport);
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.shard) {
    const report = runShard(args, args.shard.index, args.shard.count, (done, total) => process.stderr.write(`progress ${done}/${total}\n`));
    process.stdout.write(JSON.stringify(report));
    return;
  }
  const began = performance.now();
  const progress = new Array<[number, number]>(args.workers).fill([0, 1]);
  const show = (i: number) => (done: number, total: number) => {
    progress[i] = [done, total];
    const d = progress.reduce((n, p) => n + p[0], 0);
    const t = progress.reduce((n, p) => n + p[1], 0);
    process.stderr.write(`\rsimulating: ${d}/${t} rollouts`);
  };
  const reports =
    args.workers === 1
      ? [runShard(args, 0, 1, show(0))]
      : await Promise.all(Array.from({ length: args.workers }, (_, i) => childShard(argv, i, args.workers, show(i))));
  process.stderr.write('\n');
  const report = mergeReports(reports);
  const command = `pnpm simulate${args.seed === 20250101 ? '' : ` --seed ${args.seed}`} --runs ${args.runs} --regression-runs ${args.regressionRuns}`;
  const markdown = renderMarkdown(report, { seed: args.seed, regressionMinutes: REGRESSION_MINUTES, command });
  process.stdout.write(`${markdown}\n`);
  if (args.out) {
    writeFileSync(args.out, `${markdown}\n`);
    process.stderr.write(`written to ${args.out}\n`);
  }
  process.stderr.write(`${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
