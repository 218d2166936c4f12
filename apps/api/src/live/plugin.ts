// GET /api/ws and the broadcaster `app.live`. Every instance LISTENs for the notices that every
// instance's writes raise, its own included: the embedded database is a real PostgreSQL too, so one
// path serves one instance and many.
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { TAnalysis, TCohort, TLiveMetricPoint } from '@rampart/contracts';
import { relayRevocation, revocations } from '../services/auth/revocations.js';
import type { TRevocation } from '../services/auth/revocations.js';
import { credentialStillValid } from '../services/auth/sessions.js';
import { DEFAULT_BACKPRESSURE } from './client.js';
import type { TBackpressure } from './client.js';
import { LiveHub } from './hub.js';
import { PgListener } from './listener.js';
import { checkSocketOrigin } from './origin.js';
import { rawPool } from '../db/prisma.js';
import { announce } from './notifier.js';
import type { TLiveNotice } from './notifier.js';
import { MAX_CLIENT_FRAME_BYTES } from './protocol.js';
import { databaseSource } from './source.js';
import { closeSocketsQuickly } from './close-sockets.js';

export interface TLiveOptions {
  /** The PostgreSQL the instance LISTENs on; null: the database of `app.db` (a client made by createPrisma). */
  listenUrl: string | null;
  /** Notices for one release within this window become one push. Default 75 ms. */
  coalesceMs?: number;
  /** Ping every socket this often; one that did not answer the previous ping is dropped. Default 30 s. */
  heartbeatMs?: number;
  pressureCheckMs?: number;
  backpressure?: Partial<TBackpressure>;
}

/** A point as ingestion has it: scalar points are pushed, histogram points (no `value`) are not. */
export interface TPublishablePoint {
  ts: number | Date;
  cohort: TCohort;
  metric: string;
  value?: number;
}

export interface TLiveBroadcaster {
  /** 'off' only for an app whose database has no URL to LISTEN on (a stand-in client, as in the OpenAPI build). */
  readonly mode: 'notify' | 'off';
  readonly instanceId: string;
  /**
   * Call after the transaction that stored `points` committed: pushes them to this instance's
   * followers of the release (batched) and tells the other instances, which load the batch's time range.
   */
  publishMetrics(releaseId: string, points: readonly TPublishablePoint[]): void;
  /** Call after the analysis was stored on the release (Release.analysis): pushed the same way. */
  publishAnalysis(releaseId: string, analysis: TAnalysis): void;
  /**
   * The release reads differently although nothing was written (a bake time just ended, so its actions'
   * blockers changed): followers on every instance get it again.
   */
  publishRelease(releaseId: string): void;
  readonly hub: LiveHub;
  readonly listener: PgListener | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: TLiveBroadcaster;
  }
}

export const livePlugin = fp<TLiveOptions>(
  async (app, options) => {
    const instanceId = randomUUID();
    const listenUrl = options.listenUrl ?? rawPool(app.db)?.options.connectionString ?? null;
    const mode = listenUrl ? 'notify' : 'off';
    const hub = new LiveHub({
      source: databaseSource(app.db, app.clock),
      log: app.log,
      backpressure: { ...DEFAULT_BACKPRESSURE, ...options.backpressure },
      coalesceMs: options.coalesceMs ?? 75,
      heartbeatMs: options.heartbeatMs ?? 30_000,
      pressureCheckMs: options.pressureCheckMs ?? 500,
      now: () => app.clock.now(),
    });

    const heard = (notice: TLiveNotice) => {
      // This instance's own metrics, analyses and revocations were acted on when they happened.
      if (notice.kind !== 'release' && notice.origin === instanceId) return;
      if (notice.kind === 'revoke') {
        hub.revoke(notice.revocation);
        // This instance's cached credentials too (plugins/auth).
        relayRevocation(notice.revocation);
      } else hub.notice(notice);
    };
    const listener = listenUrl ? new PgListener(listenUrl, { notice: heard, reconnected: () => hub.resyncAll() }, app.log) : null;
    await listener?.start();

    const tellOthers = (notice: TLiveNotice) => {
      if (!listener) return;
      announce(app.db, notice).catch((error: unknown) => app.log.warn({ err: error }, 'live: NOTIFY failed'));
    };

    // Revoked here: closed on this instance now, and on the others through NOTIFY.
    const onRevoked = (revocation: TRevocation) => {
      const closed = hub.revoke(revocation);
      if (closed > 0) app.log.info({ revocation, closed }, 'live: closed sockets of a revoked credential');
      tellOthers({ kind: 'revoke', revocation, origin: instanceId });
    };
    revocations.on('revoked', onRevoked);

    const live: TLiveBroadcaster = {
      mode,
      instanceId,
      hub,
      listener,
      publishMetrics(releaseId, points) {
        const scalar: TLiveMetricPoint[] = [];
        for (const p of points) {
          if (p.value === undefined) continue;
          scalar.push({ ts: typeof p.ts === 'number' ? p.ts : p.ts.getTime(), cohort: p.cohort, metric: p.metric, value: p.value });
        }
        if (scalar.length === 0) return;
        hub.publishMetrics(releaseId, scalar);
        let from = Infinity;
        let to = -Infinity;
        for (const p of scalar) {
          if (p.ts < from) from = p.ts;
          if (p.ts > to) to = p.ts;
        }
        tellOthers({ kind: 'metrics', releaseId, from, to, origin: instanceId });
      },
      publishAnalysis(releaseId, analysis) {
        hub.publishAnalysis(releaseId, analysis);
        tellOthers({ kind: 'analysis', releaseId, origin: instanceId });
      },
      publishRelease(releaseId) {
        const notice = { kind: 'release' as const, releaseId, revision: 0, firstEventId: null, lastEventId: null };
        hub.notice(notice);
        tellOthers(notice);
      },
    };
    app.decorate('live', live);
    app.log.info({ mode }, 'live updates ready');

    await app.register(websocket, { options: { maxPayload: MAX_CLIENT_FRAME_BYTES }, preClose: closeSocketsQuickly });
    app.get(
      '/api/ws',
      {
        websocket: true,
        config: { permission: 'release:read' },
        // After authentication (a global hook), before the upgrade; plain GETs are refused by the plugin anyway.
        onRequest: async (request, reply) => {
          if (request.headers.upgrade?.toLowerCase() !== 'websocket') return;
          const verdict = checkSocketOrigin({
            origin: request.headers.origin,
            host: request.headers.host,
            publicUrl: app.settings.publicUrl,
            credential: request.credential?.kind ?? null,
          });
          if (!verdict.ok) return reply.code(403).send({ statusCode: 403, error: 'forbidden', message: verdict.message });
        },
      },
      (socket, request) => {
        const credential = request.credential;
        const client = hub.add(socket, credential);
        if (!credential) return;
        // Authenticated before the upgrade: a revocation since then found no socket to close. Look again.
        credentialStillValid(app.db, credential, app.clock)
          .then((valid) => valid || hub.endClient(client, 'credential revoked'))
          .catch((error: unknown) => app.log.warn({ err: error }, 'live: re-checking a socket credential failed'));
      },
    );

    // An upgrade refused by a hook (401/403 from auth) gets its HTTP answer, but @fastify/websocket only
    // closes the socket when its own onRequest hook ran, and auth's ran first and answered: close it here,
    // or every refused attempt would hold a connection (and app.close would wait for it).
    app.addHook('onResponse', async (request) => {
      if (request.headers.upgrade?.toLowerCase() !== 'websocket') return;
      const socket = request.raw.socket;
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });

    app.addHook('onClose', async () => {
      hub.close();
      revocations.off('revoked', onRevoked);
      await listener?.stop();
    });
  },
  { name: 'live', dependencies: ['database', 'auth'] },
);
