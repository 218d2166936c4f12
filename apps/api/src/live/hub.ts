// The live hub of one instance: who follows what, and the fan-out. Notices (from LISTEN, or from
// publishMetrics/publishAnalysis) are coalesced per release for
// `coalesceMs`; then the hub loads what changed once and writes the same encoded frame to every
// follower. Work for one release runs in order (a chain of promises), releases run independently.
// Each socket is also indexed by the credential it opened with, so a revocation closes it at once.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { TAnalysis, TLiveMetricPoint, TLiveServerMessage, TRelease } from '@rampart/contracts';
import { LIVE_CLOSE_CODES, MAX_LIVE_RELEASES_PER_SOCKET } from '@rampart/contracts';
import { LiveClient } from './client.js';
import type { TBackpressure, TFrameClass } from './client.js';
import type { TCredential, TRevocation } from '../services/auth/revocations.js';
import type { TReleaseScopedNotice, TReleaseNotice } from './notifier.js';
import { parseClientMessage } from './protocol.js';
import { summaryOf } from './source.js';
import type { TLiveSource } from './source.js';

export interface THubOptions {
  source: TLiveSource;
  log: FastifyBaseLogger;
  backpressure: TBackpressure;
  coalesceMs: number;
  heartbeatMs: number;
  /** How often sockets that fell behind are checked (resync or drop). */
  pressureCheckMs: number;
  /** The app clock: credentials expire on it. */
  now: () => Date;
}

/** WebSocket close code 1008 (policy violation): the credential the socket opened with is no longer valid. */
export const CLOSE_REVOKED = 1008;

interface TPending {
  /** Release notices: each one's transaction has committed (NOTIFY is delivered on commit). */
  notices: TReleaseNotice[];
  points: TLiveMetricPoint[];
  ranges: { from: number; to: number }[];
  analysis: TAnalysis | 'load' | null;
  timer: NodeJS.Timeout | null;
}

export function encode(message: TLiveServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

export class LiveHub {
  readonly clients = new Set<LiveClient>();
  readonly #followers = new Map<string, Set<LiveClient>>();
  readonly #topic = new Set<LiveClient>();
  /** Sockets by `session:<id>` / `token:<id>`, and by user id. */
  readonly #byCredential = new Map<string, Set<LiveClient>>();
  readonly #byUser = new Map<string, Set<LiveClient>>();
  readonly #pending = new Map<string, TPending>();
  readonly #chains = new Map<string, Promise<void>>();
  readonly #timers: NodeJS.Timeout[] = [];
  /** The last snapshot loaded for subscribers, until the next notice for the release: 200 dashboards opening at once cost one load. */
  readonly #snapshots = new Map<string, Promise<[TRelease | null, TAnalysis | null]>>();
  #closed = false;
  /** Counters for logs and tests. */
  readonly stats = { pushes: 0, framesSkipped: 0, dropped: 0 };

  constructor(private readonly options: THubOptions) {
    const heartbeat = setInterval(() => this.#heartbeat(), options.heartbeatMs);
    const pressure = setInterval(() => this.#checkPressure(), options.pressureCheckMs);
    heartbeat.unref();
    pressure.unref();
    this.#timers.push(heartbeat, pressure);
  }

  // ------------------------------------------------------------ sockets

  /** Takes over a connected socket. Call synchronously in the route handler so no frame is missed. */
  add(socket: WebSocket, credential: TCredential | null = null): LiveClient {
    const client = new LiveClient(socket, this.options.backpressure, credential);
    this.clients.add(client);
    if (credential) {
      addTo(this.#byCredential, `${credential.kind}:${credential.id}`, client);
      addTo(this.#byUser, credential.userId, client);
    }
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data, isBinary) => {
      client.alive = true;
      void this.#onMessage(client, isBinary ? null : data.toString()).catch((error: unknown) => {
        this.options.log.error({ err: error }, 'live: handling a message failed');
        this.#reply(client, { type: 'error', message: 'internal error' });
      });
    });
    socket.on('close', () => this.#remove(client));
    return client;
  }

  #remove(client: LiveClient): void {
    this.clients.delete(client);
    if (client.credential) {
      removeFrom(this.#byCredential, `${client.credential.kind}:${client.credential.id}`, client);
      removeFrom(this.#byUser, client.credential.userId, client);
    }
    this.#topic.delete(client);
    for (const id of client.releaseIds) this.#unfollow(client, id);
  }

  #unfollow(client: LiveClient, releaseId: string): void {
    client.releaseIds.delete(releaseId);
    const set = this.#followers.get(releaseId);
    set?.delete(client);
    if (set?.size === 0) this.#followers.delete(releaseId);
  }

  async #onMessage(client: LiveClient, text: string | null): Promise<void> {
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.#reply(client, { type: 'error', message: parsed.message });
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ping':
        this.#reply(client, { type: 'pong' });
        return;
      case 'unsubscribe':
        if ('topic' in message) {
          client.followsReleases = false;
          this.#topic.delete(client);
        } else {
          for (const id of message.releaseIds) this.#unfollow(client, id);
        }
        return;
      case 'subscribe':
        if ('topic' in message) {
          client.followsReleases = true;
          this.#topic.add(client);
          this.#reply(client, { type: 'subscribed', releaseIds: [], topic: message.topic });
          return;
        }
        await this.#subscribe(client, message.releaseIds);
    }
  }

  async #subscribe(client: LiveClient, releaseIds: string[]): Promise<void> {
    const unique = [...new Set(releaseIds)];
    const fresh = unique.filter((id) => !client.releaseIds.has(id));
    if (client.releaseIds.size + fresh.length > MAX_LIVE_RELEASES_PER_SOCKET) {
      this.#reply(client, { type: 'error', message: `a socket follows at most ${MAX_LIVE_RELEASES_PER_SOCKET} releases` });
      return;
    }
    const subscribed: string[] = [];
    await Promise.all(
      unique.map((id) =>
        // In the release's chain, so the snapshot never overtakes (or follows) a concurrent push.
        this.#inOrder(id, async () => {
          const [release, analysis] = await this.#snapshot(id);
          if (!release) {
            this.#reply(client, { type: 'error', message: `release ${id} not found` });
            return;
          }
          if (client.socket.readyState !== client.socket.OPEN) return;
          client.releaseIds.add(id);
          let set = this.#followers.get(id);
          if (!set) this.#followers.set(id, (set = new Set()));
          set.add(client);
          subscribed.push(id);
          client.send(encode({ type: 'release', release }), 'state', id);
          if (analysis) client.send(encode({ type: 'analysis', releaseId: id, analysis }), 'state', id);
        }),
      ),
    );
    if (subscribed.length > 0) this.#reply(client, { type: 'subscribed', releaseIds: subscribed });
  }

  #snapshot(releaseId: string): Promise<[TRelease | null, TAnalysis | null]> {
    let snapshot = this.#snapshots.get(releaseId);
    if (!snapshot) {
      snapshot = Promise.all([this.options.source.release(releaseId), this.options.source.analysis(releaseId)]);
      this.#snapshots.set(releaseId, snapshot);
      snapshot.catch(() => this.#snapshots.delete(releaseId));
      // Also forgotten after a while, so a missed notice cannot keep a stale snapshot forever.
      setTimeout(() => this.#snapshots.get(releaseId) === snapshot && this.#snapshots.delete(releaseId), 1000).unref();
    }
    return snapshot;
  }

  #reply(client: LiveClient, message: TLiveServerMessage): void {
    client.send(encode(message), 'state', null);
  }

  // ------------------------------------------------------------ notices in

  /** A notice from LISTEN, or a release that reads differently although nothing was written. */
  notice(notice: TReleaseScopedNotice): void {
    if (this.#closed) return;
    this.#snapshots.delete(notice.releaseId);
    const pending = this.#pendingOf(notice.releaseId);
    if (notice.kind === 'release') pending.notices.push(notice);
    else if (notice.kind === 'metrics') pending.ranges.push({ from: notice.from, to: notice.to });
    else pending.analysis ??= 'load';
    this.#schedule(notice.releaseId, pending, this.options.coalesceMs);
  }

  /** Points this instance stored: pushed to its own followers without a database round trip. */
  publishMetrics(releaseId: string, points: readonly TLiveMetricPoint[]): void {
    if (this.#closed || points.length === 0 || !this.#followers.has(releaseId)) return;
    const pending = this.#pendingOf(releaseId);
    pending.points.push(...points);
    this.#schedule(releaseId, pending, this.options.coalesceMs);
  }

  publishAnalysis(releaseId: string, analysis: TAnalysis): void {
    this.#snapshots.delete(releaseId);
    if (this.#closed || !this.#followers.has(releaseId)) return;
    const pending = this.#pendingOf(releaseId);
    pending.analysis = analysis;
    this.#schedule(releaseId, pending, this.options.coalesceMs);
  }

  /** After LISTEN was lost for a while: every follower refetches, and gets each release as it is now. */
  resyncAll(): void {
    const frame = encode({ type: 'resync', reason: 'reconnected', releaseIds: null });
    for (const client of this.clients) client.send(frame, 'state', null);
    for (const releaseId of this.#followers.keys()) {
      this.notice({ kind: 'release', releaseId, revision: 0, firstEventId: null, lastEventId: null });
    }
  }

  #pendingOf(releaseId: string): TPending {
    let pending = this.#pending.get(releaseId);
    if (!pending) {
      pending = { notices: [], points: [], ranges: [], analysis: null, timer: null };
      this.#pending.set(releaseId, pending);
    }
    return pending;
  }

  #schedule(releaseId: string, pending: TPending, delayMs: number): void {
    if (pending.timer) return;
    pending.timer = setTimeout(() => {
      this.#pending.delete(releaseId);
      void this.#inOrder(releaseId, () => this.#flush(releaseId, pending)).catch((error: unknown) => {
        this.options.log.error({ err: error, releaseId }, 'live: push failed');
      });
    }, delayMs);
  }

  #inOrder(releaseId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#chains.get(releaseId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#chains.set(releaseId, tail);
    void tail.then(() => {
      if (this.#chains.get(releaseId) === tail) this.#chains.delete(releaseId);
    });
    return next;
  }

  // ------------------------------------------------------------ fan-out

  async #flush(releaseId: string, pending: TPending): Promise<void> {
    if (this.#closed) return;
    const followers = this.#followers.get(releaseId);
    const hasFollowers = !!followers && followers.size > 0;
    if (pending.notices.length > 0 && (hasFollowers || this.#topic.size > 0)) await this.#flushRelease(releaseId, pending.notices, hasFollowers);
    if (!hasFollowers) return;

    const points = [...pending.points];
    if (pending.ranges.length > 0) {
      const from = Math.min(...pending.ranges.map((r) => r.from));
      const to = Math.max(...pending.ranges.map((r) => r.to));
      points.push(...(await this.options.source.points(releaseId, from, to)));
    }
    if (points.length > 0) this.#fanOut(releaseId, encode({ type: 'metrics', releaseId, points }), 'metrics');

    const analysis = pending.analysis === 'load' ? await this.options.source.analysis(releaseId) : pending.analysis;
    if (analysis) this.#fanOut(releaseId, encode({ type: 'analysis', releaseId, analysis }), 'state');
  }

  async #flushRelease(releaseId: string, notices: TReleaseNotice[], hasFollowers: boolean): Promise<void> {
    const { source } = this.options;
    const withEvents = notices.filter((n) => n.firstEventId !== null && n.lastEventId !== null);
    const from = withEvents.length ? withEvents.map((n) => BigInt(n.firstEventId!)).reduce((a, b) => (b < a ? b : a)) : null;
    const to = withEvents.length ? withEvents.map((n) => BigInt(n.lastEventId!)).reduce((a, b) => (b > a ? b : a)) : null;
    const [release, events] = await Promise.all([
      source.release(releaseId),
      hasFollowers && from !== null && to !== null ? source.events(releaseId, from, to) : Promise.resolve(null),
    ]);
    if (!release) return;
    this.#pushRelease(release);
    if (events && events.events.length > 0) {
      this.#fanOut(releaseId, encode({ type: 'events', releaseId, previousId: events.previousId, events: events.events }), 'state');
    }
  }

  #pushRelease(release: TRelease): void {
    this.#snapshots.delete(release.id);
    this.#fanOut(release.id, encode({ type: 'release', release }), 'state');
    if (this.#topic.size > 0) {
      const frame = encode({ type: 'release-summary', release: summaryOf(release) });
      for (const client of this.#topic) this.#send(client, frame, 'state', null);
    }
  }

  #fanOut(releaseId: string, frame: Buffer, kind: TFrameClass): void {
    const followers = this.#followers.get(releaseId);
    if (!followers) return;
    for (const client of followers) this.#send(client, frame, kind, releaseId);
  }

  #send(client: LiveClient, frame: Buffer, kind: TFrameClass, releaseId: string | null): void {
    if (client.send(frame, kind, releaseId)) this.stats.pushes += 1;
    else this.stats.framesSkipped += 1;
  }

  // ------------------------------------------------------------ revocation

  /** Closes (1008) every socket opened with a credential the revocation ends; answers how many. */
  revoke(revocation: TRevocation): number {
    let matches: LiveClient[];
    if (revocation.kind === 'session') matches = [...(this.#byCredential.get(`session:${revocation.sessionId}`) ?? [])];
    else if (revocation.kind === 'token') matches = [...(this.#byCredential.get(`token:${revocation.tokenId}`) ?? [])];
    else {
      matches = [...(this.#byUser.get(revocation.userId) ?? [])];
      if (revocation.credentials === 'sessions') matches = matches.filter((c) => c.credential?.kind === 'session');
    }
    for (const client of matches) this.endClient(client, `${revocation.kind === 'user' ? 'access' : revocation.kind} revoked`);
    return matches.length;
  }

  /** Stops sending to a socket at once and closes it with 1008. */
  endClient(client: LiveClient, reason: string): void {
    this.#remove(client);
    client.close(CLOSE_REVOKED, reason);
  }

  // ------------------------------------------------------------ liveness

  #heartbeat(): void {
    const now = this.options.now();
    for (const client of this.clients) {
      const expiresAt = client.credential?.expiresAt;
      if (expiresAt && expiresAt <= now) {
        this.endClient(client, `${client.credential?.kind ?? 'credential'} expired`);
        continue;
      }
      if (!client.alive) {
        this.stats.dropped += 1;
        client.drop(LIVE_CLOSE_CODES.noHeartbeat);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  #checkPressure(): void {
    const now = Date.now();
    for (const client of this.clients) {
      if (client.behind && client.checkPressure(now) === 'dropped') {
        this.stats.dropped += 1;
        this.options.log.warn({ skipped: client.skipped }, 'live: dropped a socket that stayed behind');
      }
    }
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    for (const pending of this.#pending.values()) if (pending.timer) clearTimeout(pending.timer);
    this.#pending.clear();
  }
}

function addTo(index: Map<string, Set<LiveClient>>, key: string, client: LiveClient): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(client);
}

function removeFrom(index: Map<string, Set<LiveClient>>, key: string, client: LiveClient): void {
  const set = index.get(key);
  set?.delete(client);
  if (set?.size === 0) index.delete(key);
}
