// One dedicated PostgreSQL connection per instance, LISTENing on the live channel. If it drops it
// reconnects with backoff (250 ms doubling to 10 s, with jitter), and after a reconnect reports it:
// notifications sent while it was away are lost, so subscribers must refetch.
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { LIVE_CHANNEL, parseNotice } from './notifier.js';
import type { TLiveNotice } from './notifier.js';

export interface TListenerHandlers {
  notice(notice: TLiveNotice): void;
  /** LISTEN is active again after a lost connection (not called for the first connect). */
  reconnected(): void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

export class PgListener {
  #client: pg.Client | null = null;
  #stopped = false;
  /** After the first attempt, any successful connect is a reconnect: notices may have been lost. */
  #firstAttemptDone = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | null = null;
  #ready: Promise<void>;
  #markReady: () => void = () => undefined;

  constructor(
    private readonly connectionString: string,
    private readonly handlers: TListenerHandlers,
    private readonly log: FastifyBaseLogger,
  ) {
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
  }

  /** Starts connecting; resolves once LISTEN is active, or the first attempt failed (retries go on). */
  start(): Promise<void> {
    void this.#connect();
    return this.#ready;
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  /** For tests: cut the connection as a network failure would. */
  simulateDrop(): void {
    const client = this.#client;
    if (client) (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#markReady();
    if (this.#retry) clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'rampart-live' });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.#firstAttemptDone = true;
      this.#markReady();
      if (this.#stopped) return;
      this.log.warn({ err: error }, 'live: LISTEN connection lost; reconnecting');
      this.#scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL) return;
      const notice = parseNotice(message.payload);
      if (notice) this.handlers.notice(notice);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (error) {
      onLost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.#stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#attempt = 0;
    if (this.#firstAttemptDone) this.handlers.reconnected();
    this.#firstAttemptDone = true;
    this.#markReady();
  }

  #scheduleReconnect(): void {
    const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.#attempt);
    this.#attempt += 1;
    const delay = base / 2 + Math.random() * (base / 2);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#connect();
    }, delay);
  }
}
