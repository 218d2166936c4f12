// The sender: polls the outbox, claims due heads, and sends them concurrently, each on its own, so a
// receiver that hangs holds only its own slots until the timeout. A finished send claims more at once,
// so a backlog drains as fast as receivers answer.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import type { TOutboundClient } from '../outbound/outbound-client.js';
import type { TBackoffPolicy } from './backoff.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import type { TClaimedDelivery } from './claim.js';
import { claimDue, releaseClaim } from './claim.js';
import type { TOutcome } from './outcome.js';
import { recordOutcome } from './outcome.js';
import { renderBody } from './payload.js';
import { sendDelivery } from './send.js';

export interface TWebhookWorkerSettings {
  /** Wall-clock milliseconds between looks at the outbox when idle. */
  pollIntervalMs: number;
  /** Requests in flight at once, over all webhooks. */
  concurrency: number;
  /** Requests in flight at once to one webhook (each to a different release). */
  perWebhookConcurrency: number;
  /** One request's time limit. */
  timeoutMs: number;
  backoff: TBackoffPolicy;
  random?: () => number;
}

export const DEFAULT_WORKER_SETTINGS: TWebhookWorkerSettings = {
  pollIntervalMs: 1000,
  concurrency: 32,
  perWebhookConcurrency: 8,
  timeoutMs: 10_000,
  backoff: DEFAULT_BACKOFF,
};

export interface TWebhookWorkerOptions {
  db: Db;
  clock: Clock;
  publicUrl: string;
  log: FastifyBaseLogger;
  /** Every request goes through it: the outbound policy, checked on the address it connects to. */
  outbound: TOutboundClient;
  settings: TWebhookWorkerSettings;
  /** Called after every attempt (tests, metrics). */
  onAttempt?: (delivery: TClaimedDelivery, outcome: TOutcome) => void;
}

export interface TWebhookWorker {
  /** Looks at the outbox now rather than at the next poll. */
  kick(): void;
  inFlight(): number;
  stop(): Promise<void>;
}

export function startWebhookWorker(options: TWebhookWorkerOptions): TWebhookWorker {
  const { db, log, settings } = options;
  const inFlight = new Map<string, Promise<void>>();
  const perWebhook = new Map<string, number>();
  const shutdown = new AbortController();
  let claiming = false;
  let again = false;
  let stopped = false;
  let immediate: NodeJS.Immediate | undefined;

  async function deliver(delivery: TClaimedDelivery): Promise<void> {
    const result = await sendDelivery(options.outbound, {
      url: delivery.url,
      secrets: delivery.previousSecret ? [delivery.secret, delivery.previousSecret] : [delivery.secret],
      body: renderBody(delivery.payload, delivery.format, options.publicUrl),
      eventType: delivery.eventType,
      deliveryId: delivery.id,
      idempotencyKey: delivery.idempotencyKey,
      timeoutMs: settings.timeoutMs,
      signal: shutdown.signal,
    });
    if (!result.ok && result.aborted) {
      await releaseClaim(db, delivery.id);
      return;
    }
    const outcome = await recordOutcome({ db, clock: options.clock, backoff: settings.backoff, ...(settings.random ? { random: settings.random } : {}) }, delivery, result);
    if (outcome !== 'delivered') {
      log.warn({ deliveryId: delivery.id, webhookId: delivery.webhookId, attempts: delivery.attempts + 1, error: result.ok ? null : result.error, outcome }, 'webhook delivery failed');
    }
    options.onAttempt?.(delivery, outcome);
  }

  function start(delivery: TClaimedDelivery): void {
    perWebhook.set(delivery.webhookId, (perWebhook.get(delivery.webhookId) ?? 0) + 1);
    const running = deliver(delivery)
      .catch((error: unknown) => log.error({ err: error, deliveryId: delivery.id }, 'webhook delivery crashed'))
      .finally(() => {
        inFlight.delete(delivery.id);
        const left = (perWebhook.get(delivery.webhookId) ?? 1) - 1;
        if (left <= 0) perWebhook.delete(delivery.webhookId);
        else perWebhook.set(delivery.webhookId, left);
        kick();
      });
    inFlight.set(delivery.id, running);
  }

  async function claim(): Promise<void> {
    if (stopped) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        const free = settings.concurrency - inFlight.size;
        if (free <= 0 || stopped) break;
        const busy = [...perWebhook].filter(([, count]) => count >= settings.perWebhookConcurrency).map(([id]) => id);
        const claimed = await claimDue(db, {
          limit: free,
          perWebhook: settings.perWebhookConcurrency,
          busyWebhooks: busy,
          claimSeconds: Math.ceil(settings.timeoutMs / 1000) + 30,
        });
        for (const delivery of claimed) start(delivery);
        if (claimed.length === free) again = true;
      } while (again && !stopped);
    } catch (error) {
      if (!stopped) log.error({ err: error }, 'webhook worker could not claim deliveries');
    } finally {
      claiming = false;
    }
  }

  function kick(): void {
    if (stopped || immediate) return;
    immediate = setImmediate(() => {
      immediate = undefined;
      void claim();
    });
  }

  const timer = setInterval(kick, settings.pollIntervalMs);
  kick();

  return {
    kick,
    inFlight: () => inFlight.size,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (immediate) clearImmediate(immediate);
      shutdown.abort();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
