// Autopilot passes over a database kept by `BENCH_KEEP_DATABASE=1 pnpm bench --only judgement`, alone, so
// that a CPU profile shows the passes and nothing else:
//   cd apps/api && node --cpu-prof --cpu-prof-dir=/tmp/rampart-prof --import tsx bench/judgement-pass-profile.ts <database url> [passes]
// Each pass comes ten seconds after the previous, with one new bin of points for every release, as in the
// benchmark; a first, untimed pass fills the autopilot's memory of settled bins.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ManualClock } from '../src/clock.js';
import { createPrisma } from '../src/db/prisma.js';
import { autopilotPass, benchAutopilot, insertBins, instrumentPg, printQueryStats } from './judgement-cost.js';
import { BIN_MS, sequentialPairPlaybook, valinePlaybook } from './judgement-traffic.js';

const url = process.argv[2];
if (!url) {
  console.error('usage: judgement-pass-profile.ts <database url> [passes]');
  process.exit(2);
}
const passes = Number(process.argv[3] ?? 3);
const playbook = process.env.BENCH_PLAYBOOK === 'sequential-pair' ? sequentialPairPlaybook() : valinePlaybook();
const meter = instrumentPg();
const client = new pg.Client({ connectionString: url });
await client.connect();
const db = createPrisma(url);
try {
  const times = await client.query<{ started: Date; analyzed: Date }>(`SELECT min("startedAt") AS started, max("analyzedAt") AS analyzed FROM "Release"`);
  const startedAt = times.rows[0]!.started.getTime();
  const clock = new ManualClock(times.rows[0]!.analyzed);
  const releases = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Release" WHERE state IN ('running', 'paused')`)).rows[0]!.n);
  // The first pass fills the autopilot's memory of settled bins, as a running leader's is.
  const autopilot = await benchAutopilot(db, clock);
  for (let p = 0; p < passes; p++) {
    const bin = Math.round((clock.now().getTime() - startedAt) / BIN_MS);
    await insertBins(client, playbook, startedAt, 'all', bin, bin + 1);
    clock.advance(BIN_MS / 1000);
    // The same reference as the benchmark's, next to each pass: 1,000 sequential SELECT 1 through the same client.
    const refBegan = performance.now();
    for (let i = 0; i < 1000; i++) await db.$queryRaw`SELECT 1`;
    const reference = performance.now() - refBegan;
    const began = performance.now();
    const pass = await autopilotPass(autopilot, meter);
    const ms = performance.now() - began;
    console.log(`pass ${p + 1}: ${ms.toFixed(0)} ms over ${releases} releases, ${pass.queries} statements; 1,000 x SELECT 1: ${reference.toFixed(0)} ms; ratio ${(ms / reference).toFixed(2)} x`);
    if (p === passes - 1) printQueryStats(meter);
  }
  await autopilot.stop();
} finally {
  await db.$disconnect();
  await client.end();
}
