// `pnpm bench --only reads`: what the reads people and pollers make cost, next to a Fastify hello-world
// measured in the same run and the same process (the machine is shared, so read the ratios).
//
// The app runs on a scratch database (DATABASE_URL's server, else the embedded one) seeded by
// reads-seed.ts: BENCH_READ_RELEASES releases (default 240) of the built-in playbooks, the heaviest
// with thousands of events, tens of thousands of metric points and a stored analysis. autocannon drives
// each read with 16 connections for BENCH_READ_SECONDS (default 8) after a short warm-up:
//   reads_hello_world_release_bytes  the hello-world sending the release answer's bytes: the ceiling for
//                             an answer that large on this machine (the load generator shares the process)
//   reads_release             GET /api/releases/:id of the heavy release (a bearer token, as agents poll)
//   reads_release_revalidate  the same with If-None-Match of its ETag: what a poller pays when nothing changed
//   reads_traffic             GET /api/releases/:id/traffic, what deploy agents poll
//   reads_status              GET /api/status, public
//   reads_list_200            GET /api/releases?limit=200
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createPrisma } from '../src/db/prisma.js';
import { actorOfUser } from '../src/services/auth/actors.js';
import { createApiToken } from '../src/services/auth/api-tokens.js';
import { seedBuiltInPlaybooks } from '../src/services/bootstrap/seed-playbooks.js';
import { seedDemoUsers } from '../src/services/bootstrap/seed-users.js';
import { benchDatabase } from './bench-database.js';
import { seedReads } from './reads-seed.js';

const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 8);
const RELEASES = Number(process.env.BENCH_READ_RELEASES ?? 240);
/** Comma-separated figure names (e.g. `release,status`) to run only those: a profile then shows one read. */
const ONLY = process.env.BENCH_READ_ONLY?.split(',');
const wanted = (name: string) => !ONLY || ONLY.includes(name);

interface TLoad {
  rps: number;
  /** CPU milliseconds this process (server and load generator) spent per request: steadier than req/s on a shared machine. */
  cpuMs: number;
  p50: number;
  p99: number;
  statuses: string;
  bytes: number;
}

async function load(url: string, headers: Record<string, string> = {}, seconds = SECONDS): Promise<TLoad> {
  const cpu = process.cpuUsage();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, timeout: 10 });
  const used = process.cpuUsage(cpu);
  const statuses = Object.entries({ '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'], errors: result.errors, timeouts: result.timeouts })
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ');
  return {
    rps: result.requests.average,
    cpuMs: result.requests.total > 0 ? (used.user + used.system) / 1000 / result.requests.total : NaN,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    bytes: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
  };
}

function line(name: string, figure: TLoad, reference: number) {
  const ratio = figure.rps / reference;
  console.log(
    `${name}: ${figure.rps.toFixed(1)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms, ${figure.cpuMs.toFixed(3)} CPU ms/req, ${figure.bytes} B/answer (${figure.statuses}); ` +
      `ratio to hello-world ${ratio.toFixed(4)}`,
  );
}

export async function benchReads(): Promise<void> {
  const database = await benchDatabase();
  console.log(`# reads on ${database.kind}, ${CONNECTIONS} connections, ${SECONDS} s each`);
  const db = createPrisma(database.url);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const clock = new ManualClock(new Date());
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  // The same bytes as the release answer, sent as they are: what moving the answer alone costs here.
  let sized = Buffer.alloc(0);
  hello.get('/sized', async (_request, reply) => reply.type('application/json; charset=utf-8').send(sized));
  const app = await buildApp({ db, clock, settings: loadConfig({ RAMPART_DEMO: '0' }) });
  try {
    const began = performance.now();
    await seedBuiltInPlaybooks(db);
    await seedDemoUsers(db, { N: 1024, r: 8, p: 1 });
    const seed = await seedReads({ db, clock, client }, { releases: RELEASES, heavyEvents: 5000, heavyPointMinutes: 120 });
    const admin = await db.user.findFirstOrThrow({ where: { role: 'admin' } });
    const { token } = await createApiToken({ db, clock, actor: actorOfUser(admin) }, { name: 'bench-reads', scopes: ['releases:read'] });
    const { rows } = await client.query<{ points: string; events: string }>(
      `SELECT (SELECT count(*) FROM "MetricPoint" WHERE "releaseId" = $1) AS points, (SELECT count(*) FROM "ReleaseEvent" WHERE "releaseId" = $1) AS events`,
      [seed.heavyId],
    );
    console.log(`# seeded ${seed.releaseCount} releases in ${((performance.now() - began) / 1000).toFixed(1)} s; the heavy one has ${rows[0]?.events} events and ${rows[0]?.points} metric points`);

    const helloUrl = await hello.listen({ port: 0, host: '127.0.0.1' });
    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const auth = { authorization: `Bearer ${token}` };
    const releaseUrl = `${appUrl}/api/releases/${seed.heavyId}`;
    const first = await fetch(releaseUrl, { headers: auth });
    if (first.status !== 200) throw new Error(`GET ${releaseUrl} answered ${first.status}: ${await first.text()}`);
    const etag = first.headers.get('etag');
    sized = Buffer.from(await first.arrayBuffer());

    // Warm both servers (JIT, connection pools) so the first figure is not the coldest.
    await load(`${helloUrl}/`, {}, 2);
    await load(releaseUrl, auth, 2);

    const reference = await load(`${helloUrl}/`);
    console.log(`reads_hello_world: ${reference.rps.toFixed(1)} req/s, p50 ${reference.p50} ms, p99 ${reference.p99} ms, ${reference.cpuMs.toFixed(3)} CPU ms/req`);
    if (wanted('hello_sized')) line('reads_hello_world_release_bytes', await load(`${helloUrl}/sized`), reference.rps);
    if (wanted('release')) line('reads_release', await load(releaseUrl, auth), reference.rps);
    if (!wanted('release_revalidate')) {
      // skipped
    } else if (etag) line('reads_release_revalidate', await load(releaseUrl, { ...auth, 'if-none-match': etag }), reference.rps);
    else console.log('reads_release_revalidate: n/a (no ETag served)');
    if (wanted('traffic')) line('reads_traffic', await load(`${releaseUrl}/traffic`, auth), reference.rps);
    if (wanted('status')) line('reads_status', await load(`${appUrl}/api/status`), reference.rps);
    if (wanted('list_200')) line('reads_list_200', await load(`${appUrl}/api/releases?limit=200`, auth), reference.rps);
  } finally {
    await app.close();
    await hello.close();
    await client.end();
    await db.$disconnect();
    await database.drop();
  }
}
