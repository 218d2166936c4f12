// The read paths over real HTTP on loopback: validators and 304s for the release, the list and the
// status page, cursor paging, the status page's single-flight cache (counted at the database client),
// and the shared fresh reads behind the validators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRelease, TReleaseList, TStatusPage } from '@rampart/contracts';
import { ZRelease, ZReleaseList } from '@rampart/contracts';
import { buildApp } from '../../src/app.js';
import type { TApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/prisma.js';
import { seedBuiltInPlaybooks } from '../../src/services/bootstrap/seed-playbooks.js';
import { DEMO_PASSWORD, seedDemoUsers } from '../../src/services/bootstrap/seed-users.js';
import { loadReleaseStamp, releaseEtag } from '../../src/services/releases/release-stamp.js';
import { cachedRead, FreshReads } from '../../src/services/releases/cached-read.js';
import { listEtag } from '../../src/services/releases/list-releases.js';
import { TEST_PLAYBOOK_SPEC } from '../support/playbook-fixture.js';
import { createTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';
import { TEST_SCRYPT_COST, USERS } from '../support/test-app.js';
import type { TUserName } from '../support/test-app.js';
import { until } from '../support/until.js';

let database: TestDatabase;
let app: TApp;
let base: string;
const clock = new ManualClock(new Date('2026-03-02T10:00:00Z'));
/** The status page's database reads, as the client saw them. */
let statusQueries = 0;
const cookies = new Map<TUserName, string>();
let playbookId: string;
/** The same flow with one gate, so a verdict shows in the buttons. */
let gatedPlaybookId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedBuiltInPlaybooks(database.prisma);
  await seedDemoUsers(database.prisma, TEST_SCRYPT_COST);
  const counted = database.prisma.$extends({
    query: {
      async $queryRaw({ args, query }) {
        const text = JSON.stringify(args);
        if (text.includes('analysisStage')) statusQueries += 1;
        return query(args);
      },
    },
  }) as unknown as Db;
  app = await buildApp({ db: counted, clock, settings: loadConfig({ RAMPART_DEMO: '0' }), webhooks: false });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const created = await call('admin', 'POST', '/api/playbooks', { key: 'reads-flow', name: 'Reads flow', spec: TEST_PLAYBOOK_SPEC });
  playbookId = ((await created.json()) as { id: string }).id;
  const gates = [
    { key: 'errors', name: 'Error rate above 1%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01, minRequests: 100, severity: 'pause' },
  ];
  const gated = await call('admin', 'POST', '/api/playbooks', { key: 'reads-gated', name: 'Reads gated', spec: { ...TEST_PLAYBOOK_SPEC, gates } });
  gatedPlaybookId = ((await gated.json()) as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function login(user: TUserName): Promise<string> {
  const known = cookies.get(user);
  if (known) return known;
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: USERS[user], password: DEMO_PASSWORD }),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('rampart_session='))?.split(';')[0];
  if (response.status !== 200 || !cookie) throw new Error(`login as ${user} failed: ${response.status}`);
  cookies.set(user, cookie);
  return cookie;
}

async function call(user: TUserName | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method,
    headers: {
      ...(user ? { cookie: await login(user) } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function ok<T>(response: Response | Promise<Response>): Promise<T> {
  const answer = await response;
  const text = await answer.text();
  if (answer.status >= 300) throw new Error(`${answer.url} answered ${answer.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function newRelease(service: string, playbook = playbookId): Promise<TRelease> {
  return ok<TRelease>(call('owner', 'POST', '/api/releases', { service, version: '1.0.0', playbookId: playbook }));
}

/** Signed off, ticked and started: at its staging stage, then (unless told) ramped to the canary, which bakes 30 minutes. */
async function runningRelease(service: string, playbook = playbookId, ramp = true): Promise<TRelease> {
  let release = await newRelease(service, playbook);
  await ok(call('product', 'POST', `/api/releases/${release.id}/approvals`, { role: 'product', decision: 'approve' }));
  await ok(call('security', 'POST', `/api/releases/${release.id}/approvals`, { role: 'security', decision: 'approve' }));
  await ok(call('eng', 'POST', `/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve', stage: 'canary' }));
  const item = release.checklist.find((i) => i.key === 'tests-pass')!;
  release = await ok<TRelease>(call('owner', 'PATCH', `/api/releases/${release.id}/checklist/${item.id}`, { status: 'done' }));
  release = await ok<TRelease>(call('owner', 'POST', `/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision }));
  if (!ramp) return release;
  return ok<TRelease>(call('owner', 'POST', `/api/releases/${release.id}/actions/ramp`, { expectedRevision: release.revision }));
}

describe('GET /api/releases/:id', () => {
  it('answers what an action answers, with a validator, and 304 while nothing changed', async () => {
    const created = await newRelease('etag-basics');
    const read = await call('support', 'GET', `/api/releases/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    const etag = read.headers.get('etag');
    expect(etag).toMatch(/^W\/"r1-/);
    const body = (await read.json()) as TRelease;
    // The fast path renders exactly what the action path (getRelease, through the response schema) does.
    expect(body).toEqual(created);
    expect(ZRelease.strict().parse(body)).toEqual(body);

    const again = await call('support', 'GET', `/api/releases/${created.id}`, undefined, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    const item = created.checklist.find((i) => i.key === 'tests-pass')!;
    const ticked = await ok<TRelease>(call('owner', 'PATCH', `/api/releases/${created.id}/checklist/${item.id}`, { status: 'done' }));
    const changed = await call('support', 'GET', `/api/releases/${created.id}`, undefined, { 'if-none-match': etag! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.json()).toEqual(ticked);
  });

  it('changes its validator when the verdicts of the current stage change, and shows them in the buttons', async () => {
    const release = await runningRelease('etag-verdicts', gatedPlaybookId, false);
    const before = await call('support', 'GET', `/api/releases/${release.id}`);
    const etag = before.headers.get('etag')!;
    const blockerKinds = (r: TRelease) => r.actions.find((a) => a.action === 'ramp')?.blockers.map((b) => b.kind).sort();
    expect(blockerKinds((await before.json()) as TRelease)).toEqual(['gate_inconclusive']);
    // What the autopilot stores after judging the stage: its one gate failing.
    await database.prisma.release.update({
      where: { id: release.id },
      data: { analysis: { stage: 'staging', verdict: 'fail', gates: [{ key: 'errors', verdict: 'fail' }] } },
    });
    const after = await call('support', 'GET', `/api/releases/${release.id}`, undefined, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const judged = (await after.json()) as TRelease;
    expect(judged.revision).toBe(release.revision);
    expect(blockerKinds(judged)).toEqual(['gate_failing']);
    // The action path agrees: an action's answer is built by the slow path from the same row.
    const refused = await call('owner', 'POST', `/api/releases/${release.id}/actions/ramp`, { expectedRevision: release.revision });
    expect(refused.status).toBe(422);
    expect(blockerKinds(((await refused.json()) as { release: TRelease }).release)).toEqual(['gate_failing']);
  });

  it('counts the bake down in minutes, then seconds, then marks it done', () => {
    const stamp = { id: '00000000-0000-4000-8000-000000000000', revision: 3, updatedAt: clock.now(), verdicts: new Map(), freeze: null };
    const at = (secondsBeforeEnd: number) => new Date(Date.parse('2026-03-02T11:00:00Z') - secondsBeforeEnd * 1000);
    const bakeEndsAt = new Date('2026-03-02T11:00:00Z');
    const tag = (left: number) => releaseEtag({ ...stamp, bakeEndsAt }, at(left));
    expect(tag(600)).toBe(tag(541));
    expect(tag(600)).not.toBe(tag(539));
    expect(tag(30)).not.toBe(tag(29));
    expect(tag(0)).toBe(tag(-3600));
    expect(releaseEtag({ ...stamp, bakeEndsAt: null }, at(0))).toBe(tag(0));
  });

  it('answers 404 for a release that does not exist, and 400 for an id that is not one', async () => {
    expect((await call('support', 'GET', '/api/releases/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call('support', 'GET', '/api/releases/nope')).status).toBe(400);
  });
});

describe('GET /api/releases/:id/traffic', () => {
  it('answers what the acknowledgement answers, and 304 to an agent whose copy is current', async () => {
    const release = await runningRelease('traffic-polled');
    const read = await call('support', 'GET', `/api/releases/${release.id}/traffic`);
    const etag = read.headers.get('etag')!;
    expect(etag).toBe(`"t${release.revision}"`);
    expect(await read.json()).toEqual({
      releaseId: release.id,
      state: 'running',
      stage: 'canary',
      desiredPercent: 5,
      acknowledgedPercent: 0,
      acknowledgedAt: null,
      revision: release.revision,
    });
    expect((await call('support', 'GET', `/api/releases/${release.id}/traffic`, undefined, { 'if-none-match': etag })).status).toBe(304);
    const acked = await ok(call('owner', 'POST', `/api/releases/${release.id}/traffic/ack`, { percent: 5 }));
    const after = await call('support', 'GET', `/api/releases/${release.id}/traffic`, undefined, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual(acked);
    expect(acked).toMatchObject({ acknowledgedPercent: 5, acknowledgedAt: clock.now().toISOString(), revision: release.revision + 1 });
  });
});

describe('GET /api/releases', () => {
  it('pages summaries by cursor in the same order as one long page', async () => {
    for (let i = 0; i < 4; i++) await newRelease(`paged-${i}`);
    await runningRelease('paged-active');
    const whole = await ok<TReleaseList>(call('support', 'GET', '/api/releases?limit=200'));
    expect(ZReleaseList.parse(whole)).toEqual(whole);
    expect(whole.nextCursor).toBeNull();
    expect(whole.total).toBe(whole.releases.length);
    expect(whole.releases[0]?.state).toBe('running');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: TReleaseList = await ok<TReleaseList>(call('support', 'GET', `/api/releases?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.releases.length).toBeLessThanOrEqual(2);
      expect(page.total).toBe(whole.total);
      seen.push(...page.releases.map((r) => r.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen).toEqual(whole.releases.map((r) => r.id));

    const offset = await ok<TReleaseList>(call('support', 'GET', '/api/releases?limit=2&offset=2'));
    expect(offset.releases.map((r) => r.id)).toEqual(seen.slice(2, 4));
  });

  it('filters by state and service, and matches the summary in the release', async () => {
    const release = await runningRelease('filtered');
    const list = await ok<TReleaseList>(call('support', 'GET', '/api/releases?state=running,paused&service=filtered'));
    expect(list.releases.map((r) => r.id)).toEqual([release.id]);
    expect(list.total).toBe(1);
    const { notes: _notes, currentStageIndex: _index, stages: _stages, acknowledgedAt: _ack, checklist: _checklist, approvals: _approvals, actions: _actions, previousAttemptId: _previous, nextAttemptId: _next, ...summary } = release;
    expect(list.releases[0]).toEqual(summary);
  });

  it('answers 304 to a poller of an unchanged list and 200 once a release in it changes', async () => {
    const first = await call('support', 'GET', '/api/releases?service=polled');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"l0-/);
    expect((await call('support', 'GET', '/api/releases?service=polled', undefined, { 'if-none-match': etag })).status).toBe(304);
    const release = await newRelease('polled');
    const grown = await call('support', 'GET', '/api/releases?service=polled', undefined, { 'if-none-match': etag });
    expect(grown.status).toBe(200);
    const etag1 = grown.headers.get('etag')!;
    expect((await call('support', 'GET', '/api/releases?service=polled', undefined, { 'if-none-match': etag1 })).status).toBe(304);
    const item = release.checklist.find((i) => i.key === 'tests-pass')!;
    await ok(call('owner', 'PATCH', `/api/releases/${release.id}/checklist/${item.id}`, { status: 'done' }));
    expect((await call('support', 'GET', '/api/releases?service=polled', undefined, { 'if-none-match': etag1 })).status).toBe(200);
  });

  it('refuses a cursor it did not make with 400 naming the field', async () => {
    for (const cursor of ['nope', Buffer.from('[2,"x","y"]').toString('base64url'), 'a%2Fb']) {
      const response = await call('support', 'GET', `/api/releases?cursor=${cursor}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/cursor/);
    }
  });
});

describe('GET /api/status', () => {
  it('serves many concurrent anonymous readers from one database read, then reads again after its lifetime', async () => {
    await runningRelease('status-cached');
    // Let any page cached by an earlier request expire first.
    await until('a fresh status read', async () => {
      const queries = statusQueries;
      await ok(call(null, 'GET', '/api/status'));
      return statusQueries > queries;
    }, 30_000);
    const before = statusQueries;
    const pages = await Promise.all(Array.from({ length: 40 }, () => ok<TStatusPage>(call(null, 'GET', '/api/status'))));
    // One load is two queries (active and recent releases); 40 readers at once made at most one load.
    expect(statusQueries - before).toBeLessThanOrEqual(2);
    expect(new Set(pages.map((p) => JSON.stringify(p))).size).toBe(1);
    expect(pages[0]?.active.map((r) => r.service)).toContain('status-cached');

    const late = await runningRelease('status-late');
    await until('the status page to show a release started after it was cached', async () => {
      const page = await ok<TStatusPage>(call(null, 'GET', '/api/status'));
      return page.active.some((r) => r.id === late.id);
    }, 30_000);
  });

  it('answers 304 to a poller whose copy is current', async () => {
    const first = await call(null, 'GET', '/api/status');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"s-/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=2/);
    expect((await call(null, 'GET', '/api/status', undefined, { 'if-none-match': etag })).status).toBe(304);
  });
});

describe('the single-flight cache', () => {
  it('shares one load between concurrent misses, keeps it for its lifetime, and does not keep a failure', async () => {
    let now = 0;
    let loads = 0;
    let fail = false;
    let release: () => void = () => {};
    const cache = cachedRead(
      async () => {
        loads += 1;
        await new Promise<void>((resolve) => (release = resolve));
        if (fail) throw new Error('database down');
        return loads;
      },
      1000,
      () => now,
    );
    const waiting = Array.from({ length: 10 }, () => cache.get());
    release();
    expect(await Promise.all(waiting)).toEqual(Array(10).fill(1));
    now = 999;
    expect(await cache.get()).toBe(1);
    now = 1000;
    fail = true;
    const failed = cache.get();
    release();
    await expect(failed).rejects.toThrow('database down');
    fail = false;
    const retried = cache.get();
    release();
    expect(await retried).toBe(3);
    expect(cache.loads).toBe(3);
  });
});

describe('fresh reads shared by callers arriving together', () => {
  it('runs one load at a time per key, and answers a caller who came during a load from the next one', async () => {
    const releases: (() => void)[] = [];
    const started: string[] = [];
    let version = 0;
    const reads = new FreshReads(async (key: string) => {
      started.push(key);
      const seen = version;
      await new Promise<void>((resolve) => releases.push(resolve));
      return `${key}@${seen}`;
    });
    const first = reads.get('a');
    // A write commits while the first load runs: callers arriving now must see it.
    version = 1;
    const later = Array.from({ length: 5 }, () => reads.get('a'));
    const other = reads.get('b');
    expect(started).toEqual(['a', 'b']);
    releases.shift()!();
    expect(await first).toBe('a@0');
    await until('the next load to start', () => started.length === 3);
    releases.shift()!();
    expect(await other).toBe('b@1');
    releases.shift()!();
    expect(await Promise.all(later)).toEqual(Array(5).fill('a@1'));
    expect(started).toEqual(['a', 'b', 'a']);
  });

  it('does not keep a failure: the next caller loads again', async () => {
    let fail = true;
    const reads = new FreshReads(async () => {
      if (fail) throw new Error('database down');
      return 'ok';
    });
    await expect(reads.get('a')).rejects.toThrow('database down');
    fail = false;
    expect(await reads.get('a')).toBe('ok');
  });
});

describe('the validators read straight from pg', () => {
  it('agree with the same queries through Prisma', async () => {
    const release = await runningRelease('stamp-paths', gatedPlaybookId, false);
    // An extended client has no pool of its own, so it takes the Prisma path.
    const throughPrisma = database.prisma.$extends({}) as unknown as Db;
    const direct = await loadReleaseStamp(database.prisma, release.id);
    expect(direct).not.toBeNull();
    expect(await loadReleaseStamp(throughPrisma, release.id)).toEqual(direct);
    expect(direct?.revision).toBe(release.revision);
    for (const filter of [{}, { service: 'stamp-paths' }, { state: ['running' as const, 'draft' as const] }, { state: ['running' as const], service: 'stamp-paths' }]) {
      expect(await listEtag({ db: throughPrisma }, filter)).toEqual(await listEtag({ db: database.prisma }, filter));
    }
    expect((await listEtag({ db: database.prisma }, { service: 'stamp-paths' })).total).toBe(1);
  });
});
