// Walking a built-in playbook through the HTTP API as its team would: checklist ticks and sign-offs by the
// right people, a deploy agent that pushes metrics and acknowledges the desired traffic, the owner ramping
// and completing without force, and the autopilot judging one pass per 10 s of clock.
//
// Traffic is seeded (@rampart/traffic's PRNG): Poisson requests with a little overdispersion, binomial
// errors whose rate wobbles from window to window, log-normal latency sent as a `latency_ms` histogram or as
// percentile gauges, health checks, and the business gauges each seed's gates read. Points cover the window
// that ends at the push (stamped 1 ms before it), every 10 s or once a minute.
import { expect } from 'vitest';
import type { TIncident, TRelease, TReportIncidentBody } from '@rampart/contracts';
import { normalCdf, Random } from '@rampart/traffic/random';
import type { TClient, TTestApp, TUserName } from '../support/test-app.js';
import { clientFor, startTestApp, USERS } from '../support/test-app.js';
import { DEMO_PASSWORD } from '../../src/services/bootstrap/seed-users.js';

export const ROLE_USER: Record<string, TUserName> = {
  release_owner: 'owner',
  product: 'product',
  security: 'security',
  infrastructure: 'infra',
  engineering: 'eng',
};

export interface TWorld {
  t: TTestApp;
  /** The release owner (every person's session is renewed as the clock runs past it: sessions last 12 hours). */
  owner: TClient;
  /** A person, logged in. */
  as(user: TUserName): TClient;
  /** The deploy agent's token: pushes metrics, acknowledges traffic. */
  agent: TClient;
}

/** A person's client that logs in again once their session is more than 6 hours of clock old. */
function person(t: TTestApp, user: TUserName): TClient {
  let session: { client: TClient; at: number } | null = null;
  const current = async () => {
    const now = t.clock.now().getTime();
    if (!session || now - session.at > 6 * 3600_000) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: USERS[user], password: DEMO_PASSWORD } });
      const cookie = response.cookies.find((c) => c.name === 'rampart_session');
      if (response.statusCode !== 200 || !cookie) throw new Error(`login as ${user} failed: ${response.body}`);
      session = { client: clientFor(t.app, { cookie: `rampart_session=${cookie.value}` }), at: now };
    }
    return session.client;
  };
  return {
    headers: {},
    get: async (url) => (await current()).get(url),
    post: async (url, body) => (await current()).post(url, body),
    patch: async (url, body) => (await current()).patch(url, body),
    put: async (url, body) => (await current()).put(url, body),
    delete: async (url) => (await current()).delete(url),
  };
}

export async function openWorld(): Promise<TWorld> {
  const t = await startTestApp({ autopilotIntervalMs: 3_600_000 });
  // One pass per step of the clock, run by the test: the pass a push would nudge (50 ms of wall-clock later)
  // would judge the same points at the same clock time again, or, late, at the next step's.
  t.app.autopilot!.nudge = () => undefined;
  const people = new Map<TUserName, TClient>();
  const as = (user: TUserName) => {
    if (!people.has(user)) people.set(user, person(t, user));
    return people.get(user)!;
  };
  const owner = as('owner');
  const created = await owner.post('/api/tokens', { name: 'deploy-agent', scopes: ['metrics:write', 'traffic:ack'] });
  expect(created.statusCode, created.body).toBe(201);
  return { t, owner, as, agent: clientFor(t.app, { authorization: `Bearer ${created.json().token}` }) };
}

// ---------------------------------------------------------------------------------------------- traffic

export interface TWindowCounts {
  cohort: 'canary' | 'baseline';
  requests: number;
  errors: number;
  seconds: number;
}

export interface TCohortShape {
  errorRate: number;
  /** Multiplies the latency distribution (1: as the baseline). */
  latencyFactor: number;
  healthOk: boolean;
}

export interface TTraffic {
  /** Requests per second over both cohorts. */
  rps: number;
  baseline: TCohortShape;
  canary: TCohortShape;
  latencyMedianMs: number;
  latencySigma: number;
  latency: 'histogram' | 'percentiles';
  /** Business gauges of one window, from its counts. */
  gauges?: (w: TWindowCounts, rnd: Random) => Record<string, number>;
}

export const HEALTHY: TCohortShape = { errorRate: 0, latencyFactor: 1, healthOk: true };

/** A traffic model whose canary is shaped by `canary` (the rest as the baseline). */
export function withCanary(traffic: TTraffic, canary: Partial<TCohortShape>): TTraffic {
  return { ...traffic, canary: { ...traffic.canary, ...canary } };
}

export const LATENCY_BOUNDS = [10, 25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000];
const Z = { 0.5: 0, 0.95: 1.6449, 0.99: 2.3263 } as const;

function histogram(rnd: Random, n: number, median: number, sigma: number) {
  let left = n;
  let below = 0;
  let cumulative = 0;
  const buckets: { le: number | '+Inf'; count: number }[] = [];
  for (const bound of LATENCY_BOUNDS) {
    const p = normalCdf(Math.log(bound / median) / sigma);
    const share = below >= 1 ? 0 : Math.min(1, Math.max(0, (p - below) / (1 - below)));
    const k = rnd.binomial(left, share);
    left -= k;
    cumulative += k;
    below = p;
    buckets.push({ le: bound, count: cumulative });
  }
  buckets.push({ le: '+Inf', count: n });
  return buckets;
}

/** Points for one window of `seconds` ending at `end` (stamped end − 1 ms), `percent` of traffic on the canary. */
export function windowPoints(traffic: TTraffic, rnd: Random, percent: number, seconds: number, end: number) {
  const ts = end - 1;
  const points: Record<string, unknown>[] = [];
  for (const cohort of ['canary', 'baseline'] as const) {
    const share = cohort === 'canary' ? percent / 100 : 1 - percent / 100;
    if (share <= 0) continue;
    const shape = traffic[cohort];
    const requests = rnd.poisson(traffic.rps * share * seconds * Math.exp(0.05 * rnd.normal()));
    const rate = Math.min(1, shape.errorRate * Math.exp(0.15 * rnd.normal()));
    const errors = rnd.binomial(requests, rate);
    const add = (metric: string, value: number) => points.push({ ts, cohort, metric, value });
    add('requests', requests);
    add('errors', errors);
    add('health_ok', shape.healthOk ? 1 : 0);
    const median = traffic.latencyMedianMs * shape.latencyFactor * Math.exp(0.03 * rnd.normal());
    if (requests > 0 && traffic.latency === 'histogram') {
      points.push({ ts, cohort, metric: 'latency_ms', buckets: histogram(rnd, requests, median, traffic.latencySigma) });
    } else if (requests > 0) {
      for (const [q, z] of Object.entries(Z)) {
        const p = Number(q);
        // The sampling error of a percentile of `requests` log-normal draws.
        const relativeError = (traffic.latencySigma * Math.sqrt(p * (1 - p))) / (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) / Math.sqrt(requests);
        add(`latency_p${Math.round(p * 100)}_ms`, Math.round(median * Math.exp(traffic.latencySigma * z + relativeError * rnd.normal()) * 10) / 10);
      }
    }
    for (const [metric, value] of Object.entries(traffic.gauges?.({ cohort, requests, errors, seconds }, rnd) ?? {})) add(metric, value);
  }
  return points;
}

// ------------------------------------------------------------------------------------------ the release

export interface TWalk {
  w: TWorld;
  id: string;
  rnd: Random;
  /** Seconds between pushes: 10, or 60 (a point per minute carrying the minute's counts). */
  every: number;
  traffic: TTraffic;
  /** The release's start (epoch ms): windows are aligned on it. */
  origin: number;
  /** End of the latest window pushed (epoch ms). */
  pushedUntil: number;
  /**
   * When set, the baseline's points come from a second pusher that sends them in a batch every this many
   * seconds (so up to that late), the canary's as each window ends; every window is then pushed on time.
   */
  baselineBatchSeconds?: number;
  /** With baselineBatchSeconds: each batch holds the windows that ended at least this many seconds before it. */
  baselineDelaySeconds?: number;
  baselineBuffer?: Record<string, unknown>[];
}

export async function release(w: TWorld, id: string): Promise<TRelease> {
  const response = await w.owner.get(`/api/releases/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Creates a release on a built-in playbook, ticks what must be ticked before the start, gets the sign-offs, and starts it without force. */
export async function createAndStart(w: TWorld, playbookKey: string, traffic: TTraffic, options: { service: string; seed: number; every?: number }): Promise<TWalk> {
  const created = await w.owner.post('/api/releases', { service: options.service, version: '2.0.0', playbookId: await w.t.playbookId(playbookKey), notes: 'Seed walk' });
  expect(created.statusCode, created.body).toBe(201);
  const walk: TWalk = { w, id: created.json().id, rnd: new Random(options.seed), every: options.every ?? 10, traffic, origin: 0, pushedUntil: 0 };
  await tickItems(walk, (item) => item.phase === 'before_start');
  let current = await release(w, walk.id);
  for (const requirement of current.approvals.required.filter((r) => r.stageKey === null)) await signOff(walk, requirement.role, requirement.count, null);
  current = await release(w, walk.id);
  expect(current.state, JSON.stringify(current.actions.find((a) => a.action === 'start')?.blockers)).toBe('ready');
  const running = await act(walk, 'start');
  walk.origin = walk.pushedUntil = Date.parse(running.startedAt!);
  await followTraffic(walk);
  return walk;
}

/** Ticks the required items matching `which`, each by a person of its owner role. */
export async function tickItems(walk: TWalk, which: (item: TRelease['checklist'][number]) => boolean): Promise<void> {
  const current = await release(walk.w, walk.id);
  for (const item of current.checklist.filter((i) => i.required && i.status === 'open' && which(i))) {
    const client = walk.w.as(ROLE_USER[item.ownerRole]!);
    const response = await client.patch(`/api/releases/${walk.id}/checklist/${item.id}`, { status: 'done' });
    expect(response.statusCode, `${item.ownerRole} ticking "${item.text}": ${response.body}`).toBe(200);
  }
}

const APPROVERS: Record<string, TUserName[]> = { product: ['product'], security: ['security'], infrastructure: ['infra'], engineering: ['eng'] };

async function signOff(walk: TWalk, role: string, count: number, stage: string | null): Promise<void> {
  const people = APPROVERS[role] ?? [];
  expect(people.length, `sign-offs needed from ${count} ${role} people`).toBeGreaterThanOrEqual(count);
  for (const who of people.slice(0, count)) {
    const client = walk.w.as(who);
    const response = await client.post(`/api/releases/${walk.id}/approvals`, { role, decision: 'approve', comment: 'Looks good', ...(stage ? { stage } : {}) });
    expect(response.statusCode, response.body).toBe(200);
  }
}

/** Performs an action as the owner, without force; answers the response. */
export async function act(walk: TWalk, action: string, extra: Record<string, unknown> = {}) {
  const current = await release(walk.w, walk.id);
  const response = await walk.w.owner.post(`/api/releases/${walk.id}/actions/${action}`, { expectedRevision: current.revision, ...extra });
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json() as TRelease;
}

export interface TState {
  state: string;
  desiredPercent: number;
  acknowledgedPercent: number;
}

async function state(walk: TWalk): Promise<TState> {
  return walk.w.t.db.release.findUniqueOrThrow({ where: { id: walk.id }, select: { state: true, desiredPercent: true, acknowledgedPercent: true } });
}

/** The deploy agent applies the desired percent and says so (a rollback's 0%, say). */
export async function followTraffic(walk: TWalk, s?: TState): Promise<TState> {
  const now = s ?? (await state(walk));
  if (now.desiredPercent === now.acknowledgedPercent || !['running', 'paused', 'rolling_back'].includes(now.state)) return now;
  const response = await walk.w.agent.post(`/api/releases/${walk.id}/traffic/ack`, { percent: now.desiredPercent });
  expect(response.statusCode, response.body).toBe(200);
  return state(walk);
}

/** Windows pushed ahead of the clock at most this far (the API refuses points more than 5 minutes ahead). */
const AHEAD_MS = 290_000;

export interface TRunOptions {
  /** Stop as soon as this holds (checked after every pass); points are then pushed as each window ends. */
  until?: (s: TState) => boolean;
  /** Seconds between autopilot passes: 10 (the loop's pace), or longer through a long quiet bake. */
  tickEvery?: number;
}

/**
 * Moves the clock `seconds` in steps of `tickEvery` (10 s): one autopilot pass per step, the agent following
 * the desired traffic. The agent's windows (every `walk.every` s, aligned on the release's start) are pushed
 * as they end when `until` is given. Without it nothing can change the traffic split before the run ends, so
 * to keep the test fast they are pushed in batches up to five minutes ahead of the clock, which is the same to
 * the server: it judges only points at or before its clock. Answers the seconds run.
 */
export async function run(walk: TWalk, seconds: number, options: TRunOptions = {}): Promise<number> {
  const { t } = walk.w;
  const step = options.tickEvery ?? 10;
  const end = t.clock.now().getTime() + seconds * 1000;
  let s = await state(walk);
  for (let elapsed = step; elapsed <= seconds; elapsed += step) {
    t.clock.advance(step);
    const now = t.clock.now().getTime();
    const horizon = options.until || walk.baselineBatchSeconds ? now : Math.min(end, now + AHEAD_MS);
    if (walk.pushedUntil < now && ['running', 'paused', 'rolling_back'].includes(s.state)) await push(walk, s.acknowledgedPercent, horizon);
    await t.app.autopilot!.tick();
    s = await followTraffic(walk);
    if (options.until?.(s)) return elapsed;
  }
  return seconds;
}

/** Pushes every window that ends after `walk.pushedUntil` and by `until`, in one request. */
async function push(walk: TWalk, percent: number, until: number): Promise<void> {
  const everyMs = walk.every * 1000;
  const points: Record<string, unknown>[] = [];
  let windowEnd = walk.origin + Math.floor((walk.pushedUntil - walk.origin) / everyMs + 1) * everyMs;
  for (; windowEnd <= until; windowEnd += everyMs) {
    points.push(...windowPoints(walk.traffic, walk.rnd, percent, walk.every, windowEnd));
    walk.pushedUntil = windowEnd;
  }
  if (walk.baselineBatchSeconds) {
    const buffer = (walk.baselineBuffer ??= []);
    buffer.push(...points.filter((p) => p['cohort'] === 'baseline'));
    const canary = points.filter((p) => p['cohort'] === 'canary');
    await send(walk, canary);
    if ((walk.pushedUntil - walk.origin) % (walk.baselineBatchSeconds * 1000) === 0) {
      const cutoff = walk.pushedUntil - (walk.baselineDelaySeconds ?? 0) * 1000;
      const due = buffer.filter((p) => (p['ts'] as number) < cutoff);
      walk.baselineBuffer = buffer.filter((p) => (p['ts'] as number) >= cutoff);
      await send(walk, due);
    }
    return;
  }
  await send(walk, points);
}

async function send(walk: TWalk, points: Record<string, unknown>[]): Promise<void> {
  if (points.length === 0) return;
  const pushed = await walk.w.agent.post(`/api/releases/${walk.id}/metrics`, { points });
  expect(pushed.statusCode, pushed.body).toBe(202);
}

/** Seconds the current stage has yet to bake. */
export async function bakeLeft(walk: TWalk): Promise<number> {
  const current = await release(walk.w, walk.id);
  const stage = current.stages[current.currentStageIndex]!;
  return Math.max(0, (Date.parse(stage.bakeEndsAt!) - walk.w.t.clock.now().getTime()) / 1000);
}

/**
 * Bakes `seconds`: a pass every 10 s, except, when `quietTickEvery` is given, one every `quietTickEvery` s from
 * five minutes into the bake (the initial delay and the first judgements are behind) until the last minute
 * before its end: long bakes of healthy traffic, to keep the test fast. Pushes stay every `walk.every` s.
 */
export async function bake(walk: TWalk, seconds: number, quietTickEvery?: number): Promise<void> {
  const quiet = quietTickEvery ? Math.max(0, Math.floor((seconds - 360) / quietTickEvery) * quietTickEvery) : 0;
  if (quiet === 0) {
    await run(walk, seconds);
    return;
  }
  await run(walk, 300);
  await run(walk, quiet, { tickEvery: quietTickEvery });
  await run(walk, seconds - 300 - quiet);
}

/**
 * Leaves the current stage the way its owner would: ticks its items, waits out the bake, then ramps (or
 * completes at the last stage) as soon as nothing blocks it, without force. Answers the seconds waited past the bake.
 */
export async function leaveStage(walk: TWalk, action: 'ramp' | 'complete', options: TLeaveOptions = {}): Promise<number> {
  const stageKey = (await release(walk.w, walk.id)).currentStage?.key;
  await tickItems(walk, (item) => item.phase === 'stage' && item.stageKey === stageKey);
  await bake(walk, await bakeLeft(walk), options.quietTickEvery);
  for (let waited = 0; ; waited += 10) {
    const current = await release(walk.w, walk.id);
    // A playbook that completes by itself (automation.autoComplete): the owner waits for the autopilot.
    if (action === 'complete' && options.autoComplete) {
      if (current.state === 'completed') return waited;
      expect(current.state, `waiting for the automatic completion at ${current.currentStage?.key}`).toBe('running');
      if (waited >= (options.maxWaitSeconds ?? 600)) throw new Error(`no automatic completion ${waited} s after the watch: ${JSON.stringify(current.actions)}`);
      await run(walk, 10);
      continue;
    }
    expect(current.state, `leaving ${current.currentStage?.key}`).toBe('running');
    const availability = current.actions.find((a) => a.action === action)!;
    if (availability.allowed) {
      await act(walk, action);
      await followTraffic(walk);
      return waited;
    }
    const unexpected = availability.blockers.filter((b) => b.kind !== 'gate_inconclusive');
    if (unexpected.length > 0 || waited >= (options.maxWaitSeconds ?? 600)) {
      throw new Error(`${action} from ${current.currentStage?.key} blocked after ${waited} s: ${JSON.stringify(availability.blockers)}`);
    }
    await run(walk, 10);
  }
}

export interface TLeaveOptions {
  maxWaitSeconds?: number;
  quietTickEvery?: number;
  /** The playbook completes by itself after the last stage's watch: wait for the autopilot instead of completing. */
  autoComplete?: boolean;
}

/** Walks every stage from the current one: ticks its items, bakes, gets the next stage's sign-offs, ramps; completes at the last. */
export async function walkToCompletion(walk: TWalk, options: TLeaveOptions = {}): Promise<Record<string, number>> {
  const waits: Record<string, number> = {};
  for (;;) {
    const current = await release(walk.w, walk.id);
    const stage = current.stages[current.currentStageIndex]!;
    await tickItems(walk, (item) => item.phase === 'stage' && item.stageKey === stage.key);
    const next = current.stages[current.currentStageIndex + 1];
    if (!next) {
      waits[stage.key] = await leaveStage(walk, 'complete', options);
      return waits;
    }
    for (const requirement of next.signoff) await signOff(walk, requirement.role, requirement.count, next.key);
    waits[stage.key] = await leaveStage(walk, 'ramp', options);
  }
}

// ------------------------------------------------------------------------------------------- the record

export interface TEvent {
  type: string;
  actor: { id: string | null; name: string };
  reason: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export async function events(w: TWorld, id: string): Promise<TEvent[]> {
  const all: TEvent[] = [];
  let before = '';
  for (;;) {
    const page = (await w.owner.get(`/api/releases/${id}/events?limit=200${before}`)).json();
    all.push(...page.events);
    if (!page.nextBefore) return all.reverse();
    before = `&before=${page.nextBefore}`;
  }
}

/** Asserts the release completed without force, no gate failed or warned, and nothing paused or rolled it back. */
export async function expectCleanCompletion(walk: TWalk, completedBy: 'owner' | 'autopilot' = 'owner'): Promise<void> {
  const current = await release(walk.w, walk.id);
  expect(current.state).toBe('completed');
  const log = await events(walk.w, walk.id);
  const breaches = log.filter((e) => e.type === 'gate.verdict_changed' && ['fail', 'warn'].includes(e.data['to'] as string));
  expect(breaches.map((e) => `${e.createdAt} ${e.data['gate']} → ${e.data['to']}: ${e.data['summary']}`)).toEqual([]);
  expect(log.filter((e) => ['release.paused', 'release.rollback_started', 'release.needs_attention'].includes(e.type)).map((e) => `${e.type}: ${e.reason}`)).toEqual([]);
  expect(log.filter((e) => e.data['forcedPast'] !== undefined)).toEqual([]);
  const actors = new Set(log.filter((e) => e.type === 'release.ramped').map((e) => e.actor.name));
  expect([...actors]).toEqual(['owner@rampart.test']);
  expect(log.filter((e) => e.type === 'release.completed').map((e) => e.actor.name)).toEqual([completedBy === 'owner' ? 'owner@rampart.test' : 'autopilot']);
}

// ------------------------------------------------------------------- problems, procedures and messages

/** Reports a problem on the release as a person (support, say); answers the incident, its `action` what the playbook did. */
export async function reportProblem(walk: TWalk, who: TUserName, body: TReportIncidentBody): Promise<TIncident> {
  const response = await walk.w.as(who).post(`/api/releases/${walk.id}/incidents`, body);
  expect(response.statusCode, `${who} reporting ${JSON.stringify(body)}: ${response.body}`).toBe(201);
  return response.json();
}

/**
 * The rollback procedure: open once the rollback started, with every required on_rollback item open; each is
 * ticked by a person of its owner role, after which the procedure is done (and says so in the log).
 */
export async function completeProcedure(walk: TWalk): Promise<TRelease['checklist']> {
  const before = await release(walk.w, walk.id);
  const procedure = before.checklist.filter((i) => i.phase === 'on_rollback');
  const required = procedure.filter((i) => i.required);
  expect(required.length).toBeGreaterThan(0);
  expect(before.rollbackProcedure).toEqual({ open: true, openRequired: required.length });
  await tickItems(walk, (item) => item.phase === 'on_rollback');
  const after = await release(walk.w, walk.id);
  expect(after.rollbackProcedure).toEqual({ open: false, openRequired: 0 });
  expect((await events(walk.w, walk.id)).filter((e) => e.type === 'rollback.procedure_done')).toHaveLength(1);
  return procedure;
}

export interface TSent {
  template: string;
  moment: string;
  occasion: string;
  audience: string;
  text: string;
}

/** The messages that went out by themselves, in order, with the moment each was sent at and its text. */
export async function sentMessages(walk: TWalk): Promise<TSent[]> {
  const log = (await events(walk.w, walk.id)).filter((e) => e.type === 'message.sent');
  const rows = await walk.w.t.db.sentMessage.findMany({ where: { releaseId: walk.id } });
  return log.map((e) => {
    const row = rows.find((r) => r.id === e.data['sentMessageId']);
    expect(row, `the sent message of ${JSON.stringify(e.data)}`).toBeDefined();
    return { template: e.data['template'] as string, moment: e.data['moment'] as string, occasion: row!.occasion, audience: row!.audience, text: row!.text };
  });
}

/** A blank left as the document wrote it ("[time left]") or a variable left unfilled ("{{timeLeft}}"). */
const BLANK = /\[[^\]\n]*\]|\{\{[^}]*\}\}/;

/** Every text sent, and every template as it reads now (GET /messages), has its blanks filled. */
export async function expectNoBlanks(walk: TWalk, sent: readonly TSent[]): Promise<void> {
  expect(sent.filter((m) => BLANK.test(m.text)).map((m) => `${m.template}: ${m.text}`)).toEqual([]);
  const now = await walk.w.owner.get(`/api/releases/${walk.id}/messages`);
  expect(now.statusCode, now.body).toBe(200);
  const texts: { key: string; text: string }[] = now.json().messages;
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.filter((m) => BLANK.test(m.text)).map((m) => `${m.key}: ${m.text}`)).toEqual([]);
}

/** "template@moment" for each sending, in order. */
export function momentsOf(sent: readonly TSent[]): string[] {
  return sent.map((m) => `${m.template}@${m.moment}`);
}

/** The contacts paged, in order, as "name (level n)". */
export async function pagedContacts(walk: TWalk): Promise<string[]> {
  return (await events(walk.w, walk.id)).filter((e) => e.type === 'contact.paged').map((e) => `${e.data['name']} (level ${e.data['level']})`);
}

/** Ends a release still active (so later passes judge only the next test's), by rolling it back to 0%. */
export async function stop(walk: TWalk): Promise<void> {
  const s = await state(walk);
  if (s.state === 'running' || s.state === 'paused') await act(walk, 'rollback', { reason: 'End of the test' });
  await followTraffic(walk);
}

/** Forces the release to a stage (for trigger tests that start past the earlier stages), then lets the agent follow. */
export async function forceTo(walk: TWalk, stageKey: string): Promise<void> {
  for (;;) {
    const current = await release(walk.w, walk.id);
    if (current.currentStage?.key === stageKey) return;
    const next = current.stages[current.currentStageIndex + 1]!;
    for (const requirement of next.signoff) await signOff(walk, requirement.role, requirement.count, next.key);
    await act(walk, 'ramp', { force: true, reason: `Trigger test: straight to ${stageKey}` });
    await followTraffic(walk);
  }
}

/**
 * Runs healthy traffic past the stage's initial delay (`warmSeconds`, 180 s), switches to `breach` and runs until
 * the autopilot acts with `action`; answers the seconds from the breach's start to that action's event. Unless
 * `keepGoing`, the healthy traffic is restored and the release ended afterwards.
 */
export async function breachUntil(
  walk: TWalk,
  breach: TTraffic,
  action: 'release.rollback_started' | 'release.paused',
  options: { warmSeconds?: number; maxSeconds: number; keepGoing?: boolean },
) {
  await run(walk, options.warmSeconds ?? 180);
  const breachStart = walk.w.t.clock.now().getTime();
  const healthy = walk.traffic;
  walk.traffic = breach;
  const done = action === 'release.paused' ? (s: TState) => s.state !== 'running' : (s: TState) => !['running', 'paused'].includes(s.state);
  await run(walk, options.maxSeconds, { until: done });
  const analysis = await walk.w.owner.get(`/api/releases/${walk.id}/analysis`);
  expect(analysis.statusCode, analysis.body).toBe(200);
  if (!options.keepGoing) {
    walk.traffic = healthy;
    await stop(walk);
  }
  const log = await events(walk.w, walk.id);
  const acted = log.find((e) => e.type === action && e.actor.name === 'autopilot');
  const story = log.filter((e) => e.type.startsWith('release.') || e.data['to'] === 'fail').map((e) => `${(Date.parse(e.createdAt) - breachStart) / 1000} s ${e.type} by ${e.actor.name}: ${e.reason ?? e.data['summary'] ?? ''}`);
  expect(acted, `no ${action} by the autopilot within ${options.maxSeconds} s of the breach:\n${story.join('\n')}`).toBeDefined();
  expect(acted!.actor).toEqual({ id: null, name: 'autopilot' });
  const seconds = (Date.parse(acted!.createdAt) - breachStart) / 1000;
  if (process.env['SEEDS_VERBOSE']) console.info(`${acted!.type} ${seconds} s after the breach began: ${acted!.reason}`);
  return { seconds, event: acted!, log, breachStart };
}
