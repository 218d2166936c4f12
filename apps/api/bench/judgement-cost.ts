// `pnpm bench --only judgement`: what an evaluation costs as a release's stage ages (issue 8).
//
// Engine figures (no database): a release whose current stage is 1 hour, 24 hours and 7 days old, with
// 10-second bins of both cohorts (requests, errors, a latency histogram, the gauges its gates name):
//   judge_full_*         judge(input) over every bin of the stage, the full fold the engine did before carries;
//   judge_incremental_*  one judgeWithCarry(window, carry) step ten seconds after the previous evaluation,
//                        the input holding only the bins readFrom() makes the API load.
// Database figures (a scratch database on the PostgreSQL server of DATABASE_URL, by default
// postgresql://postgres@127.0.0.1:5432/postgres): BENCH_RELEASES (default 1,000) running releases of seed 004
// (valine-canary), each 7 days into its 25% stage. A first pass of the autopilot (startAutopilot, ticked)
// builds every release's carry and the autopilot's memory of settled bins; then BENCH_PASSES timed passes,
// each ten seconds of clock after the previous with one new bin of points for every release, next to two
// references measured in the same run through the same Prisma client: 1,000 sequential `SELECT 1` round
// trips, and one alone. Then a pass with no new point (nothing changed: nothing is written).
//
// Which points the database holds: every release has its last BENCH_WINDOW_HOURS (default 1) of bins (the
// windows its gates read reach about 20 minutes back); BENCH_FULL_HISTORY releases (default 5) hold all 7
// days, and a read of those is timed against a read of as many others, to show that what is stored beyond
// the windows costs nothing.
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import type { TJudgementCarry, TJudgementInput } from '@rampart/domain';
import { judge, judgeWithCarry } from '@rampart/domain';
import { ManualClock } from '../src/clock.js';
import { createPrisma } from '../src/db/prisma.js';
import type { Db } from '../src/db/prisma.js';
import type { TAutopilot } from '../src/autopilot/autopilot.js';
import { startAutopilot } from '../src/autopilot/autopilot.js';
import { loadJudgedReleases } from '../src/autopilot/judged-releases.js';
import { actorOfUser } from '../src/services/auth/actors.js';
import { inputForScope, readFrom } from '../src/services/judgement/load-judgement-input.js';
import type { TJudgementScope } from '../src/services/judgement/load-judgement-input.js';
import { judgeReleases } from '../src/services/judgement/judge-release.js';
import { createPlaybook } from '../src/services/playbooks/playbooks.js';
import { createRelease } from '../src/services/releases/create-release.js';
import { createUser } from '../src/services/users/users.js';
import { benchDatabase } from './bench-database.js';
import type { TBenchPlaybook } from './judgement-traffic.js';
import {
  BIN_MS,
  DAY_MS,
  ERROR_RATE,
  HOUR_MS,
  LATENCY_BOUNDS,
  LATENCY_CDF,
  requestsPerBin,
  sequentialPairPlaybook,
  stageTraffic,
  trafficBetween,
  valinePlaybook,
} from './judgement-traffic.js';

const DEFAULT_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';
const RELEASES = Number(process.env.BENCH_RELEASES ?? 1000);
const FULL_HISTORY = Number(process.env.BENCH_FULL_HISTORY ?? 5);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
/** Hours of bins every release holds (the gates' windows read reach about 20 minutes back with a carry). */
const WINDOW_HOURS = Number(process.env.BENCH_WINDOW_HOURS ?? 1);
const AGES: { label: string; ms: number }[] = [
  { label: '1h', ms: HOUR_MS },
  { label: '24h', ms: DAY_MS },
  { label: '7d', ms: 7 * DAY_MS },
];

const fmt = (v: number, digits = 2) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(digits));
const line = (name: string, text: string) => console.log(`${name}: ${text}`);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const median = (values: number[]) => quantile(values, 0.5);

/** A full garbage collection before each timed loop, so that no loop pays for the garbage of the one before. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Times `work` repeatedly (after a warm-up) for about `budgetMs`, at least `minRuns` times: each run's ms. */
function timeRuns(work: () => void, budgetMs: number, minRuns: number, maxRuns = 5000): number[] {
  for (let i = 0; i < 3; i++) work();
  collectGarbage();
  const runs: number[] = [];
  const began = performance.now();
  while (runs.length < maxRuns && (runs.length < minRuns || performance.now() - began < budgetMs)) {
    const t0 = performance.now();
    work();
    runs.push(performance.now() - t0);
  }
  return runs;
}

function scopeOf(playbook: TBenchPlaybook, enteredAt: number, startedAt: number, now: number, carry: TJudgementCarry | null): TJudgementScope {
  const stage = playbook.spec.stages[playbook.stageIndex]!;
  return {
    releaseId: 'bench',
    startedAt: new Date(startedAt),
    stage: { key: stage.key, enteredAt: new Date(enteredAt), trafficPercent: stage.trafficPercent, initialDelaySeconds: stage.initialDelaySeconds },
    gates: playbook.spec.gates,
    now: new Date(now),
    carry,
  };
}

const binsIn = (input: Pick<TJudgementInput, 'scalars'>) => input.scalars['requests']?.canary.length ?? 0;

/** Engine only: the full fold against one incremental step, per age. */
function engineFigures(playbook: TBenchPlaybook): void {
  console.log(`# judgement engine, ${playbook.name} (stage ${playbook.spec.stages[playbook.stageIndex]!.key}, ${playbook.spec.gates.length} gates, 10 s bins)`);
  const enteredAt = Date.UTC(2026, 0, 1);
  const startedAt = enteredAt - 30 * 60_000;
  const traffic = stageTraffic(playbook, enteredAt, 7 * DAY_MS + BIN_MS);
  const full: Record<string, number> = {};
  const step: Record<string, number> = {};
  for (const age of AGES) {
    const now = enteredAt + age.ms;
    // The full fold: every bin of the stage, no carry (what an evaluation cost before carries).
    const fullInput = inputForScope(scopeOf(playbook, enteredAt, startedAt, now, null), trafficBetween(traffic, enteredAt, now));
    const fullRuns = timeRuns(() => judge(fullInput), age.ms >= DAY_MS ? 2000 : 1000, 30);
    // The previous evaluation, ten seconds earlier, left a carry; this one reads only what readFrom() says.
    const previousNow = now - BIN_MS;
    const previous = judgeWithCarry(
      inputForScope(scopeOf(playbook, enteredAt, startedAt, previousNow, null), trafficBetween(traffic, enteredAt, previousNow)),
      null,
    );
    const scope = scopeOf(playbook, enteredAt, startedAt, now, previous.carry);
    const windowInput = inputForScope(scope, trafficBetween(traffic, readFrom(scope), now));
    const stepRuns = timeRuns(() => judgeWithCarry(windowInput, previous.carry), 1000, 200);
    const incremental = judgeWithCarry(windowInput, previous.carry).analysis;
    const same = JSON.stringify(incremental) === JSON.stringify(judge(fullInput));
    full[age.label] = median(fullRuns);
    step[age.label] = median(stepRuns);
    line(`judge_full_${age.label}`, `median ${fmt(median(fullRuns), 3)} ms, p99 ${fmt(quantile(fullRuns, 0.99), 3)} ms (${binsIn(fullInput)} bins per series, ${fullRuns.length} runs)`);
    line(
      `judge_incremental_${age.label}`,
      `median ${fmt(median(stepRuns), 3)} ms, p99 ${fmt(quantile(stepRuns, 0.99), 3)} ms (${binsIn(windowInput)} bins per series, ${stepRuns.length} runs; analysis identical to the full fold: ${same ? 'yes' : 'NO'}; verdict ${incremental.verdict}, score ${incremental.score})`,
    );
  }
  line('judge_full_7d_over_1h', `${fmt(full['7d']! / full['1h']!)} x`);
  line('judge_incremental_7d_over_1h', `${fmt(step['7d']! / step['1h']!)} x`);
  line('judge_full_over_incremental_7d', `${fmt(full['7d']! / step['7d']!, 0)} x`);
}

// ---------------------------------------------------------------------------------------------------------
// Database figures.

interface TQueryStat {
  count: number;
  ms: number;
  sample?: { text: string; values: unknown[] };
}

/** Counts and times every statement the process sends through `pg` (Prisma's adapter included), by statement. */
export function instrumentPg() {
  const adapterPg = createRequire(createRequire(import.meta.url).resolve('@prisma/adapter-pg'))('pg') as typeof pg;
  const stats = new Map<string, TQueryStat>();
  let enabled = false;
  let total = 0;
  for (const module of new Set([adapterPg, pg])) {
    const proto = module.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __benchPatched?: boolean };
    if (proto.__benchPatched) continue;
    proto.__benchPatched = true;
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      if (!enabled) return original.apply(this, args);
      const config = args[0] as string | { text?: string; values?: unknown[] };
      const text = typeof config === 'string' ? config : (config?.text ?? '');
      const values = typeof config === 'string' ? ((args[1] as unknown[]) ?? []) : (config?.values ?? []);
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
      const stat = stats.get(key) ?? { count: 0, ms: 0 };
      stats.set(key, stat);
      stat.count++;
      total++;
      stat.sample ??= { text, values };
      const began = performance.now();
      const done = () => (stat.ms += performance.now() - began);
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (...answer: unknown[]) => {
          done();
          return (callback as (...a: unknown[]) => unknown)(...answer);
        };
      }
      const result = original.apply(this, args);
      if (typeof callback !== 'function' && result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
      return result;
    };
  }
  return {
    stats,
    count: () => total,
    start() {
      stats.clear();
      total = 0;
      enabled = true;
    },
    stop() {
      enabled = false;
    },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function serverReachable(url: string): Promise<boolean> {
  try {
    await withClient(url, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/** Copies the template release (its stages and checklist) `count` times, in SQL. */
async function cloneReleases(client: pg.Client, templateId: string, count: number): Promise<void> {
  const columns = async (table: string) =>
    (await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table])).rows.map(
      (r) => r.column_name,
    );
  await client.query(`CREATE TEMP TABLE clone_map AS SELECT gen_random_uuid() AS id, i FROM generate_series(1, ${count}) AS i`);
  const releaseCols = await columns('Release');
  const releaseSelect = releaseCols.map((c) => (c === 'id' ? 'm.id' : c === 'service' ? `'bench-' || m.i` : `r."${c}"`));
  await client.query(
    `INSERT INTO "Release" (${releaseCols.map((c) => `"${c}"`).join(', ')}) SELECT ${releaseSelect.join(', ')} FROM "Release" r, clone_map m WHERE r.id = $1`,
    [templateId],
  );
  for (const table of ['ReleaseStage', 'ChecklistItem']) {
    const cols = await columns(table);
    const select = cols.map((c) => (c === 'id' ? 'gen_random_uuid()' : c === 'releaseId' ? 'm.id' : `x."${c}"`));
    await client.query(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${select.join(', ')} FROM "${table}" x, clone_map m WHERE x."releaseId" = $1`, [
      templateId,
    ]);
  }
}

/**
 * Inserts bins [fromBin, toBin) (bin numbers from `origin`) of the releases in `bench_release` matching `which`:
 * one point per bin, cohort and series, generated by the server (hashint8 noise), and a latency histogram.
 */
export async function insertBins(client: pg.Client, playbook: TBenchPlaybook, origin: number, which: 'all' | 'full', fromBin: number, toBin: number): Promise<{ points: number; histograms: number }> {
  const perBin = requestsPerBin(playbook);
  const gauges = Object.entries(playbook.gauges);
  const gaugeRows = gauges.map(([metric, value]) => `('${metric}', CASE WHEN g.cohort = 'canary' THEN ${value}::float8 END)`).join(', ');
  const where = which === 'full' ? 'WHERE r.full_history' : '';
  const binned = `
    SELECT r.id, b, c.cohort,
           (c.base + (hashint8(r.idx::bigint * 1000003 + b * 2 + c.k) & 31) - 16)::float8 AS n,
           (hashint8(r.idx::bigint * 7919 + b * 2 + c.k + 77) & 1023) / 1024.0 AS u
    FROM bench_release r
    CROSS JOIN generate_series(${fromBin}::bigint, ${toBin - 1}::bigint) AS b
    CROSS JOIN (VALUES ('canary', ${perBin.canary}, 0), ('baseline', ${perBin.baseline}, 1)) AS c(cohort, base, k)
    ${where}`;
  const ts = `to_timestamp((${origin}::float8 + g.b * ${BIN_MS} + 5000) / 1000.0)`;
  const points = await client.query(`
    INSERT INTO "MetricPoint" ("releaseId", cohort, metric, ts, value)
    SELECT g.id, g.cohort::"Cohort", v.metric, ${ts}, v.value
    FROM (${binned}) g
    CROSS JOIN LATERAL (VALUES ('requests', g.n), ('errors', floor(g.n * ${ERROR_RATE} + g.u))${gaugeRows ? `, ${gaugeRows}` : ''}) AS v(metric, value)
    WHERE v.value IS NOT NULL`);
  const bounds = `ARRAY[${LATENCY_BOUNDS.map((b) => (Number.isFinite(b) ? String(b) : `'Infinity'::float8`)).join(', ')}]::float8[]`;
  const counts = `ARRAY[${LATENCY_CDF.map((share) => `round(g.n * ${share})`).join(', ')}]::float8[]`;
  const histograms = await client.query(`
    INSERT INTO "MetricHistogram" ("releaseId", cohort, metric, ts, bounds, counts)
    SELECT g.id, g.cohort::"Cohort", 'latency_ms', ${ts}, ${bounds}, ${counts}
    FROM (${binned}) g`);
  return { points: points.rowCount ?? 0, histograms: histograms.rowCount ?? 0 };
}

export interface TPassResult {
  ms: number;
  /** Statements sent through pg during the pass. */
  queries: number;
}

/** A silent logger for an autopilot started by a benchmark. */
export const SILENT_LOG = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  trace() {},
  fatal() {},
  child() {
    return SILENT_LOG;
  },
  level: 'silent',
  silent() {},
};

/** An autopilot of its own (a long interval: only ticks run passes), and its first pass done. */
export async function benchAutopilot(db: Db, clock: ManualClock): Promise<TAutopilot> {
  const autopilot = startAutopilot({ db, clock, intervalMs: 3_600_000, log: SILENT_LOG as never });
  // The loop's own first pass (started at once) and this tick may share one pass.
  await autopilot.tick();
  return autopilot;
}

/** One autopilot pass over every active release, as the loop runs it (lease, batches, its memory of settled bins). */
export async function autopilotPass(autopilot: TAutopilot, meter: ReturnType<typeof instrumentPg>): Promise<TPassResult> {
  meter.start();
  const began = performance.now();
  await autopilot.tick();
  const ms = performance.now() - began;
  meter.stop();
  return { ms, queries: meter.count() };
}

export function printQueryStats(meter: ReturnType<typeof instrumentPg>): void {
  const rows = [...meter.stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [key, stat] of rows) {
    console.log(`#   ${String(stat.count).padStart(5)} x ${fmt(stat.ms / stat.count, 3).padStart(8)} ms = ${fmt(stat.ms, 0).padStart(6)} ms: ${key}`);
  }
}

async function databaseFigures(playbook: TBenchPlaybook): Promise<void> {
  const server = process.env.DATABASE_URL ?? DEFAULT_SERVER;
  if (!(await serverReachable(server))) {
    line('judgement_pass', `n/a (no PostgreSQL server at ${server.replace(/\/\/[^@]*@/, '//')}; set DATABASE_URL)`);
    return;
  }
  const meter = instrumentPg();
  const database = await benchDatabase(server);
  console.log(`# judgement pass on ${database.kind}: ${RELEASES} running releases of ${playbook.name}, each 7 days into stage ${playbook.spec.stages[playbook.stageIndex]!.key}`);
  const db = createPrisma(database.url);
  // Bins are aligned to 10 s, and every release started 30 minutes before its current stage.
  const now0 = Math.floor(Date.now() / BIN_MS) * BIN_MS;
  const enteredAt = now0 - 7 * DAY_MS;
  const startedAt = enteredAt - 30 * 60_000;
  const clock = new ManualClock(new Date(now0));
  try {
    // Setup: one release through the service verbs, put into its stage and cloned in SQL.
    const setupBegan = performance.now();
    const owner = await createUser({ db }, { email: 'bench@rampart.test', name: 'Bench', password: 'bench-password', role: 'admin', approvalRoles: [] }, { N: 1024, r: 8, p: 1 });
    const ctx = { db, clock, actor: actorOfUser(owner) };
    const created = await createPlaybook(ctx, { key: `bench-${playbook.name}`, name: playbook.name, description: '', spec: playbook.spec });
    const templateId = await createRelease(ctx, { service: 'bench-0', version: '1', playbookId: created.id });
    const stage = playbook.spec.stages[playbook.stageIndex]!;
    const stats = await withClient(database.url, async (client) => {
      await client.query(
        `UPDATE "Release" SET state = 'running', "currentStageIndex" = $2, "desiredPercent" = $3, "acknowledgedPercent" = $3,
           "acknowledgedAt" = $4, "startedAt" = $5, revision = revision + 1 WHERE id = $1`,
        [templateId, playbook.stageIndex, stage.trafficPercent, new Date(enteredAt), new Date(startedAt)],
      );
      await client.query(
        `UPDATE "ReleaseStage" SET "enteredAt" = CASE WHEN position = $2 THEN $3::timestamptz ELSE $4::timestamptz END,
           "exitedAt" = CASE WHEN position = $2 THEN NULL ELSE $3::timestamptz END
         WHERE "releaseId" = $1 AND position <= $2`,
        [templateId, playbook.stageIndex, new Date(enteredAt), new Date(startedAt)],
      );
      await client.query(`UPDATE "ChecklistItem" SET status = 'done' WHERE "releaseId" = $1 AND phase = 'before_start'`, [templateId]);
      await cloneReleases(client, templateId, RELEASES - 1);
      // Which releases hold all 7 days: evenly spread through the list.
      await client.query(`CREATE UNLOGGED TABLE bench_release AS
        SELECT id, (row_number() OVER (ORDER BY id))::int AS idx, false AS full_history FROM "Release"`);
      const every = FULL_HISTORY > 0 ? Math.max(1, Math.floor(RELEASES / FULL_HISTORY)) : 0;
      if (every > 0) await client.query(`UPDATE bench_release SET full_history = true WHERE idx % ${every} = 1 AND idx <= ${every * FULL_HISTORY}`);
      const binOf = (t: number) => Math.round((t - startedAt) / BIN_MS);
      const recent = await insertBins(client, playbook, startedAt, 'all', binOf(now0 - WINDOW_HOURS * HOUR_MS), binOf(now0));
      const older = await insertBins(client, playbook, startedAt, 'full', binOf(enteredAt), binOf(now0 - WINDOW_HOURS * HOUR_MS));
      await client.query('ANALYZE');
      const size = await client.query<{ points: string; histograms: string }>(
        `SELECT pg_size_pretty(pg_total_relation_size('"MetricPoint"')) AS points, pg_size_pretty(pg_total_relation_size('"MetricHistogram"')) AS histograms`,
      );
      return { points: recent.points + older.points, histograms: recent.histograms + older.histograms, size: size.rows[0]! };
    });
    line(
      'judgement_setup',
      `${fmt((performance.now() - setupBegan) / 1000, 1)} s: ${RELEASES} releases, ${stats.points.toLocaleString('en')} metric points (${stats.size.points}) and ${stats.histograms.toLocaleString('en')} histogram rows (${stats.size.histograms}); ` +
        `the last ${WINDOW_HOURS} h of bins for every release, all 7 days for ${FULL_HISTORY}`,
    );
    const fullIds = new Set(
      await withClient(database.url, async (c) => (await c.query<{ id: string }>('SELECT id FROM bench_release WHERE full_history')).rows.map((r) => r.id)),
    );

    // The first pass builds each release's carry (the sequential gates fold the stage once) and the
    // autopilot's memory of settled bins.
    const firstBegan = performance.now();
    const autopilot = await benchAutopilot(db, clock);
    line('judgement_first_pass', `${fmt(performance.now() - firstBegan, 0)} ms (no carry yet: each sequential gate folds what its stage holds)`);

    // References, same run, same client: 1,000 sequential trivial round trips, and one trivial statement.
    const select1 = async () => {
      const began = performance.now();
      for (let i = 0; i < 1000; i++) await db.$queryRaw`SELECT 1`;
      return performance.now() - began;
    };
    const trivial = async () => {
      const began = performance.now();
      await db.$queryRaw`SELECT 1`;
      return performance.now() - began;
    };
    await select1();

    // Timed passes, each ten seconds after the previous with one new bin of points for every release.
    const passes: TPassResult[] = [];
    const references: number[] = [];
    const singles: number[] = [];
    try {
      for (let p = 0; p < PASSES; p++) {
        await withClient(database.url, (client) => {
          const bin = Math.round((clock.now().getTime() - startedAt) / BIN_MS);
          return insertBins(client, playbook, startedAt, 'all', bin, bin + 1);
        });
        clock.advance(BIN_MS / 1000);
        references.push(await select1());
        singles.push(await trivial());
        passes.push(await autopilotPass(autopilot, meter));
      }
      const passMs = median(passes.map((p) => p.ms));
      const reference = median(references);
      const last = passes[passes.length - 1]!;
      console.log(`# load average (1 min) on this machine while the passes ran: ${fmt(loadavg()[0]!, 1)} on ${availableParallelism()} CPUs`);
      line(`judgement_pass_${RELEASES}_releases`, `${fmt(passMs, 0)} ms (median of ${PASSES} passes, each after one new bin of points for every release: ${passes.map((p) => fmt(p.ms, 0)).join(', ')} ms)`);
      line('select1_x1000_reference', `${fmt(reference, 0)} ms (1,000 sequential SELECT 1 through the same Prisma client, same run; one alone: ${fmt(median(singles), 2)} ms)`);
      line('judgement_pass_over_reference', `${fmt(passMs / reference)} x`);
      line('judgement_pass_target', `${passMs <= 1000 ? 'met' : 'NOT met'} (at most 1,000 ms)`);
      console.log('# statements of the last timed pass, slowest in total first (ms each: from send to answer):');
      printQueryStats(meter);
      // The same instant judged again: no analysis changes, so none is written. (Ten seconds later with no new
      // point would not show it: the bins that settle meanwhile still move every carry.)
      const idle = await autopilotPass(autopilot, meter);
      line(`judgement_pass_${RELEASES}_releases_unchanged`, `${fmt(idle.ms, 0)} ms (${idle.queries} statements: the same instant judged again, no analysis written)`);
      line('statements_per_pass', `${last.queries} (${fmt(last.queries / RELEASES, 3)} per release; BEGIN and COMMIT included)`);

      // Does a release holding 7 days of points cost more to read than one holding only its windows? Both groups judged
      // alone, with no memory of settled bins (every window read from the database), as a first pass after a restart would.
      if (fullIds.size > 0) {
        const windowOnly = await withClient(database.url, async (c) =>
          (await c.query<{ id: string }>('SELECT id FROM bench_release WHERE NOT full_history LIMIT $1', [fullIds.size])).rows.map((r) => r.id),
        );
        const costOf = async (ids: string[]) => {
          const runs: number[] = [];
          for (let i = 0; i < 3; i++) {
            const began = performance.now();
            await judgeReleases(db, await loadJudgedReleases(db, ids), clock.now());
            runs.push((performance.now() - began) / ids.length);
          }
          return median(runs);
        };
        const short = await costOf(windowOnly);
        const long = await costOf([...fullIds]);
        line(`judgement_read_${WINDOW_HOURS}h_stored`, `${fmt(short, 3)} ms per release (${windowOnly.length} releases holding ${WINDOW_HOURS} h, read and judged together, windows read whole)`);
        line('judgement_read_7d_stored', `${fmt(long, 3)} ms per release (${fullIds.size} releases holding all 7 days)`);
        line(`judgement_read_7d_over_${WINDOW_HOURS}h_stored`, `${fmt(long / short)} x`);
      }
    } finally {
      await autopilot.stop();
    }
  } finally {
    await db.$disconnect();
    if (process.env.BENCH_KEEP_DATABASE === '1') console.log(`# kept the database: ${database.url}`);
    else await database.drop();
  }
}

export async function benchJudgementCost(): Promise<void> {
  if (process.env.BENCH_SKIP_ENGINE !== '1') {
    engineFigures(valinePlaybook());
    engineFigures(sequentialPairPlaybook());
  }
  if (process.env.BENCH_SKIP_DATABASE === '1') return;
  const which = process.env.BENCH_PLAYBOOK === 'sequential-pair' ? sequentialPairPlaybook() : valinePlaybook();
  await databaseFigures(which);
}
