// `pnpm bench`: Rampart's speed figures, one line each as `name: value unit`. Runs on the PostgreSQL
// server named by DATABASE_URL (a scratch database, dropped afterwards), else on the embedded one.
// These are measurements, not pass/fail checks: shared machines are noisy, so read them as ratios.
// `pnpm bench --only <group>` runs one group: `core` (ingest, judge_1000_releases, breach_to_rollback) or
// `judgement` (what an evaluation costs as a stage ages, and the autopilot pass over 1,000 releases:
// judgement-cost.ts), or `reads` (release, status and list reads against a Fastify hello-world:
// reads.ts), or `small-pushes` (50 pipelines pushing 12 points at a time against the bulk path:
// small-pushes.ts). Without it, all.
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { TPlaybookSpecInput } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import { BUILT_IN_PLAYBOOKS, judge } from '@rampart/domain';
import type { TJudgementInput } from '@rampart/domain';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createPrisma } from '../src/db/prisma.js';
import { createApiToken } from '../src/services/auth/api-tokens.js';
import { createPlaybook } from '../src/services/playbooks/playbooks.js';
import { createRelease } from '../src/services/releases/create-release.js';
import { performAction } from '../src/services/releases/perform-action.js';
import { createUser } from '../src/services/users/users.js';
import { actorOfUser } from '../src/services/auth/actors.js';
import { benchDatabase } from './bench-database.js';
import { benchJudgementCost } from './judgement-cost.js';
import { benchReads } from './reads.js';
import { benchSmallPushes } from './small-pushes.js';
import { syntheticJudgementInput } from './synthetic-input.js';

const GROUPS = ['core', 'judgement', 'reads', 'small-pushes'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (only !== undefined && !(GROUPS as readonly string[]).includes(only)) {
  console.error(`--only takes one of: ${GROUPS.join(', ')}`);
  process.exit(2);
}
const runs = (group: (typeof GROUPS)[number]) => only === undefined || only === group;

const BATCH = 10_000;
const API_BATCHES = Number(process.env.BENCH_API_BATCHES ?? 10);
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 100_000);
const BREACH_RUNS = 5;

function report(name: string, value: number, unit: string) {
  console.log(`${name}: ${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const BREACH_SPEC: TPlaybookSpecInput = {
  stages: [
    // No initial delay: the breach below starts a minute into the stage, inside the default 2 minutes.
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 3600, initialDelaySeconds: 0 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  gates: [
    { key: 'errors', name: 'Error rate above 1% for 1 minute', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01, sustainSeconds: 60, minRequests: 100, severity: 'rollback' },
  ],
};

if (runs('core')) await benchCore();
if (runs('judgement')) await benchJudgementCost();
if (runs('reads')) await benchReads();
if (runs('small-pushes')) await benchSmallPushes();

async function benchCore(): Promise<void> {
  const database = await benchDatabase();
  console.log(`# on ${database.kind}`);
  const db = createPrisma(database.url);
  const clock = new ManualClock(new Date());
  const app = await buildApp({ db, clock, settings: loadConfig({ RAMPART_DEMO: '0' }), autopilotIntervalMs: 3_600_000 });
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const owner = await createUser({ db }, { email: 'bench@rampart.test', name: 'Bench', password: 'bench-password', role: 'admin', approvalRoles: [] }, { N: 1024, r: 8, p: 1 });
    const ctx = { db, clock, actor: actorOfUser(owner) };
    const { token } = await createApiToken(ctx, { name: 'bench', scopes: ['metrics:write'] });
    const playbook = await createPlaybook(ctx, { key: 'bench', name: 'Bench', description: '', spec: ZPlaybookSpec.parse(BREACH_SPEC) });

    async function startedRelease(service: string) {
      const id = await createRelease(ctx, { service, version: '1', playbookId: playbook.id });
      const release = await db.release.findUniqueOrThrow({ where: { id } });
      await performAction(ctx, id, 'start', { expectedRevision: release.revision });
      return id;
    }

    async function post(releaseId: string, points: unknown[]) {
      const response = await fetch(`${address}/api/releases/${releaseId}/metrics`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ points }),
      });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    }

    // ingest_api: batches of 10,000 points through HTTP, validation and the bulk write (COPY on a
    // server: services/metrics/copy-batch.ts).
    let ingestApi = NaN;
    {
      const releaseId = await startedRelease('ingest-api');
      const start = clock.now().getTime() - API_BATCHES * BATCH;
      const batches = Array.from({ length: API_BATCHES }, (_, b) =>
        Array.from({ length: BATCH }, (_, i) => ({ ts: start + b * BATCH + i, cohort: i % 2 ? 'canary' : 'baseline', metric: 'requests', value: (i * 37) % 100 })),
      );
      const began = performance.now();
      for (const batch of batches) await post(releaseId, batch);
      ingestApi = (API_BATCHES * BATCH) / ((performance.now() - began) / 1000);
      report('ingest_api', ingestApi, 'points/s');
    }

    // ingest_copy: PostgreSQL's own COPY into the same table, the ceiling for the API's path.
    {
      const releaseId = await startedRelease('ingest-copy');
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const start = clock.now().getTime() - COPY_ROWS;
      const lines: string[] = [];
      for (let i = 0; i < COPY_ROWS; i++) {
        lines.push(`${releaseId}\t${i % 2 ? 'canary' : 'baseline'}\trequests\t${new Date(start + i).toISOString()}\t${i % 100}\n`);
      }
      const began = performance.now();
      const copy = client.query(copyFrom('COPY "MetricPoint" ("releaseId", cohort, metric, ts, value) FROM STDIN'));
      await pipeline(
        async function* () {
          for (let i = 0; i < lines.length; i += 5000) yield lines.slice(i, i + 5000).join('');
        },
        copy as unknown as Writable,
      );
      const ingestCopy = COPY_ROWS / ((performance.now() - began) / 1000);
      report('ingest_copy', ingestCopy, 'rows/s');
      console.log(`ingest_api_vs_copy: ${(ingestApi / ingestCopy).toFixed(2)}x (goal 0.5)`);
      await client.end();
    }

    // judge_1000_releases: one judgement pass over 1,000 releases, each an hour into a stage of the
    // largest built-in playbook (seed 004's gates), with 10-second bins of every metric it names.
    {
      const valine = BUILT_IN_PLAYBOOKS.find((p) => p.key === 'valine-canary') ?? BUILT_IN_PLAYBOOKS[0]!;
      const spec = ZPlaybookSpec.parse(valine.spec);
      const inputs: TJudgementInput[] = Array.from({ length: 1000 }, (_, i) => syntheticJudgementInput(spec, i));
      judge(inputs[0]!);
      const began = performance.now();
      for (const input of inputs) judge(input);
      report('judge_1000_releases', performance.now() - began, 'ms');
    }

    // breach_to_rollback: from the POST of the point that completes a sustained breach to the rollback.
    {
      const delays: number[] = [];
      for (let run = 0; run < BREACH_RUNS; run++) {
        const releaseId = await startedRelease(`breach-${run}`);
        const windowPoints = (errors: number) => {
          const ts = clock.now().getTime() - 1;
          return [
            { ts, cohort: 'canary', metric: 'requests', value: 1000 },
            { ts, cohort: 'canary', metric: 'errors', value: errors },
            { ts, cohort: 'baseline', metric: 'requests', value: 19_000 },
            { ts, cohort: 'baseline', metric: 'errors', value: 38 },
          ];
        };
        const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
        for (let s = 0; s < 6; s++) {
          clock.advance(10);
          await post(releaseId, windowPoints(2));
        }
        // Five windows of breach: not yet sustained for a minute; the sixth completes it.
        for (let s = 0; s < 5; s++) {
          clock.advance(10);
          await post(releaseId, windowPoints(50));
          await settle();
        }
        const state = await db.release.findUniqueOrThrow({ where: { id: releaseId }, select: { state: true } });
        if (state.state !== 'running') throw new Error(`rolled back before the breach was sustained (${state.state})`);
        clock.advance(10);
        const began = performance.now();
        await post(releaseId, windowPoints(50));
        for (;;) {
          const now = await db.release.findUniqueOrThrow({ where: { id: releaseId }, select: { state: true } });
          if (now.state !== 'running') break;
          if (performance.now() - began > 30_000) throw new Error('no rollback within 30 s');
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        delays.push(performance.now() - began);
      }
      report('breach_to_rollback', median(delays), `ms (median of ${BREACH_RUNS})`);
    }
  } finally {
    await app.close();
    await db.$disconnect();
    await database.drop();
  }
}
