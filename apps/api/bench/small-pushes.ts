// `pnpm bench --only small-pushes`: the common case of metric ingest, many pipelines each pushing a
// dozen points at a time, next to the bulk path (10,000-point batches) measured in the same run and
// the same process (the machine is shared, so read the ratio).
//
// The app runs as the server does: on DATABASE_URL's server it LISTENs for other instances' notices
// (notify mode), and an autopilot is started, so every push nudges a judgement as in production.
// BENCH_PUSH_RELEASES (default 50) running releases each get one autocannon connection, a pipeline that
// pushes 12 points (requests, errors and four latencies, canary and baseline) at a fresh second:
//   small_pushes_bulk_reference  points/s of 10,000-point batches, sent one after another
//   small_pushes_saturated       as fast as the server answers: pushes/s, points/s, p99, ratio to bulk
//   small_pushes_at_goal         offered at 0.25× the bulk path's points/s: achieved rate and p99 (goal ≤ 250 ms)
//   small_pushes_common          offered at one push a second per pipeline: p99
// Each run lasts BENCH_PUSH_SECONDS (default 10) after a short warm-up. BENCH_CREDENTIAL_CACHE_MS=0
// turns the token cache off, for a before/after in the same conditions.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { TPlaybookSpecInput } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createPrisma } from '../src/db/prisma.js';
import { actorOfUser } from '../src/services/auth/actors.js';
import { createApiToken } from '../src/services/auth/api-tokens.js';
import { createPlaybook } from '../src/services/playbooks/playbooks.js';
import { createRelease } from '../src/services/releases/create-release.js';
import { performAction } from '../src/services/releases/perform-action.js';
import { createUser } from '../src/services/users/users.js';
import { benchDatabase } from './bench-database.js';

const RELEASES = Number(process.env.BENCH_PUSH_RELEASES ?? 50);
const SECONDS = Number(process.env.BENCH_PUSH_SECONDS ?? 10);
const BULK_BATCH = 10_000;
const BULK_BATCHES = 5;
const METRICS = ['requests', 'errors', 'latency_p50', 'latency_p90', 'latency_p95', 'latency_p99'] as const;
const POINTS_PER_PUSH = METRICS.length * 2;

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 86_400 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  gates: [
    { key: 'errors', name: 'Error rate above 5%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.05, sustainSeconds: 60, minRequests: 100, severity: 'rollback' },
  ],
};

interface TPushLoad {
  pushes: number;
  p50: number;
  p99: number;
  cpuMsPer1000Points: number;
  statuses: string;
}

/** One push of a pipeline: its release and a second not pushed before; values noisy like real counts. */
function pushBody(second: number): string {
  const ts = second * 1000;
  const points = [];
  for (const cohort of ['canary', 'baseline'] as const) {
    const requests = (cohort === 'canary' ? 500 : 9500) + Math.round((Math.random() - 0.5) * 200);
    for (const metric of METRICS) {
      const value =
        metric === 'requests' ? requests : metric === 'errors' ? Math.round(requests * 0.002 * Math.random()) : 20 + Math.random() * 100;
      points.push({ ts, cohort, metric, value });
    }
  }
  return JSON.stringify({ points });
}

export async function benchSmallPushes(): Promise<void> {
  const database = await benchDatabase();
  console.log(`# small pushes on ${database.kind} (notify mode), ${RELEASES} pipelines × ${POINTS_PER_PUSH} points, ${SECONDS} s each`);
  const db = createPrisma(database.url);
  const clock = new ManualClock(new Date());
  const app = await buildApp({
    db,
    clock,
    settings: loadConfig({ RAMPART_DEMO: '0' }),
    autopilotIntervalMs: 3_600_000,
    live: { listenUrl: database.url },
    ...(process.env.BENCH_CREDENTIAL_CACHE_MS === undefined ? {} : { credentialCacheMs: Number(process.env.BENCH_CREDENTIAL_CACHE_MS) }),
  });
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const owner = await createUser({ db }, { email: 'bench@rampart.test', name: 'Bench', password: 'bench-password', role: 'admin', approvalRoles: [] }, { N: 1024, r: 8, p: 1 });
    const ctx = { db, clock, actor: actorOfUser(owner) };
    const { token } = await createApiToken(ctx, { name: 'bench-pushes', scopes: ['metrics:write'] });
    const playbook = await createPlaybook(ctx, { key: 'bench-pushes', name: 'Bench pushes', description: '', spec: ZPlaybookSpec.parse(SPEC) });
    const startedRelease = async (service: string) => {
      const id = await createRelease(ctx, { service, version: '1', playbookId: playbook.id });
      const release = await db.release.findUniqueOrThrow({ where: { id } });
      await performAction(ctx, id, 'start', { expectedRevision: release.revision });
      return id;
    };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    // The bulk path, the reference.
    const bulkRelease = await startedRelease('bulk');
    const bulkStart = clock.now().getTime() - BULK_BATCHES * BULK_BATCH;
    const batches = Array.from({ length: BULK_BATCHES }, (_, b) =>
      JSON.stringify({
        points: Array.from({ length: BULK_BATCH }, (_, i) => ({ ts: bulkStart + b * BULK_BATCH + i, cohort: i % 2 ? 'canary' : 'baseline', metric: 'latency_p99', value: (i * 37) % 100 })),
      }),
    );
    const bulkBegan = performance.now();
    for (const body of batches) {
      const response = await fetch(`${address}/api/releases/${bulkRelease}/metrics`, { method: 'POST', headers, body });
      if (response.status !== 202) throw new Error(`bulk ingest answered ${response.status}: ${await response.text()}`);
    }
    const bulkPointsPerSecond = (BULK_BATCHES * BULK_BATCH) / ((performance.now() - bulkBegan) / 1000);
    console.log(`small_pushes_bulk_reference: ${bulkPointsPerSecond.toFixed(0)} points/s`);

    const releases: string[] = [];
    for (let i = 0; i < RELEASES; i++) releases.push(await startedRelease(`pipeline-${i}`));
    // Every pipeline pushes whole seconds counted up from an hour ago, never one it pushed before.
    const nextSecond = releases.map(() => Math.floor(clock.now().getTime() / 1000) - 3600);
    let connections = 0;

    async function load(seconds: number, connectionRate?: number): Promise<TPushLoad> {
      const cpu = process.cpuUsage();
      const result = await autocannon({
        url: address,
        connections: RELEASES,
        duration: seconds,
        timeout: 30,
        ...(connectionRate ? { connectionRate } : {}),
        requests: [
          {
            method: 'POST',
            headers,
            setupRequest: (request, context) => {
              // One connection, one pipeline: its release is fixed when the connection makes its first push.
              const own = context as { pipeline?: number };
              own.pipeline ??= connections++ % RELEASES;
              const pipeline = own.pipeline;
              const second = nextSecond[pipeline]!++;
              return { ...request, path: `/api/releases/${releases[pipeline]}/metrics`, body: pushBody(second) };
            },
          },
        ],
      });
      const used = process.cpuUsage(cpu);
      const pushes = result['2xx'];
      const statuses = Object.entries({ '2xx': result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts })
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k}=${n}`)
        .join(' ');
      return {
        pushes: pushes / seconds,
        p50: result.latency.p50,
        p99: result.latency.p99,
        cpuMsPer1000Points: pushes > 0 ? (used.user + used.system) / 1000 / ((pushes * POINTS_PER_PUSH) / 1000) : NaN,
        statuses,
      };
    }

    function line(name: string, figure: TPushLoad, offered?: number) {
      const points = figure.pushes * POINTS_PER_PUSH;
      console.log(
        `${name}: ${figure.pushes.toFixed(1)} pushes/s${offered ? ` (offered ${offered.toFixed(1)})` : ''}, ${points.toFixed(0)} points/s, ` +
          `p50 ${figure.p50} ms, p99 ${figure.p99} ms, ${figure.cpuMsPer1000Points.toFixed(0)} Node CPU ms per 1,000 points (${figure.statuses}); ` +
          `ratio to bulk ${(points / bulkPointsPerSecond).toFixed(3)}`,
      );
    }

    await load(2);
    line('small_pushes_saturated', await load(SECONDS));
    const goalPushes = (0.25 * bulkPointsPerSecond) / POINTS_PER_PUSH;
    line('small_pushes_at_goal', await load(SECONDS, goalPushes / RELEASES), goalPushes);
    line('small_pushes_common', await load(SECONDS, 1), RELEASES);
  } finally {
    await app.close();
    await db.$disconnect();
    await database.drop();
  }
}
