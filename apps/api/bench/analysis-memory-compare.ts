// Before and after, in one run: autopilot passes over a database kept by `BENCH_KEEP_DATABASE=1 pnpm bench
// --only judgement`, alternating a pass that judges from the stored analyses the autopilot kept (now) with one
// whose kept analyses are dropped first, so that every row's analysis is read back and parsed (as every pass
// did before). Each pass comes ten seconds after the previous with one new bin of points for every release,
// and next to the benchmark's reference (1,000 sequential SELECT 1 through the same client):
//   cd apps/api && npx tsx bench/analysis-memory-compare.ts <database url> [pairs]
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PASS_BATCH } from '../src/autopilot/autopilot.js';
import type { TJudgementMemory } from '../src/autopilot/evaluate-release.js';
import { evaluateReleases } from '../src/autopilot/evaluate-release.js';
import { ManualClock } from '../src/clock.js';
import { createPrisma } from '../src/db/prisma.js';
import { BinCache } from '../src/services/judgement/bin-cache.js';
import { insertBins } from './judgement-cost.js';
import { BIN_MS, sequentialPairPlaybook, valinePlaybook } from './judgement-traffic.js';

const url = process.argv[2];
if (!url) {
  console.error('usage: analysis-memory-compare.ts <database url> [pairs]');
  process.exit(2);
}
const pairs = Number(process.argv[3] ?? 3);
const playbook = process.env.BENCH_PLAYBOOK === 'sequential-pair' ? sequentialPairPlaybook() : valinePlaybook();
const client = new pg.Client({ connectionString: url });
await client.connect();
const db = createPrisma(url);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
try {
  const times = await client.query<{ started: Date; analyzed: Date }>(`SELECT min("startedAt") AS started, max("analyzedAt") AS analyzed FROM "Release"`);
  const startedAt = times.rows[0]!.started.getTime();
  const clock = new ManualClock(times.rows[0]!.analyzed);
  const ids = (await client.query<{ id: string }>(`SELECT id FROM "Release" WHERE state IN ('running', 'paused') ORDER BY id`)).rows.map((r) => r.id);
  const memory: TJudgementMemory = { bins: new BinCache(), releases: new Map() };
  const pass = async () => {
    for (let i = 0; i < ids.length; i += PASS_BATCH) await evaluateReleases({ db, clock, memory }, ids.slice(i, i + PASS_BATCH));
  };
  const reference = async () => {
    const began = performance.now();
    for (let i = 0; i < 1000; i++) await db.$queryRaw`SELECT 1`;
    return performance.now() - began;
  };
  const timedPass = async (readBack: boolean) => {
    const bin = Math.round((clock.now().getTime() - startedAt) / BIN_MS);
    await insertBins(client, playbook, startedAt, 'all', bin, bin + 1);
    clock.advance(BIN_MS / 1000);
    if (readBack) for (const kept of memory.releases.values()) kept.stored = undefined;
    const ref = await reference();
    const began = performance.now();
    await pass();
    return (performance.now() - began) / ref;
  };
  // Fills the memory of settled bins and playbooks, as a running leader's is.
  await pass();
  const kept: number[] = [];
  const readBack: number[] = [];
  for (let p = 0; p < pairs; p++) {
    // Alternating, so that the machine's load weighs on both alike.
    readBack.push(await timedPass(true));
    kept.push(await timedPass(false));
    console.log(`pair ${p + 1}: analyses read back ${readBack.at(-1)!.toFixed(2)} x, kept ${kept.at(-1)!.toFixed(2)} x (pass over 1,000 x SELECT 1)`);
  }
  console.log(`pass_analyses_read_back_over_reference: ${median(readBack).toFixed(2)} x (median of ${pairs})`);
  console.log(`pass_analyses_kept_over_reference: ${median(kept).toFixed(2)} x (median of ${pairs})`);
} finally {
  await db.$disconnect();
  await client.end();
}
