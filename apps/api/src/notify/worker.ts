// The notify loop: on each pass, escalate the pages nobody acknowledged in time, then send the email
// outbox. Passes never overlap: the next is scheduled when one ends. Every instance may run it; the row
// claims (FOR UPDATE SKIP LOCKED) keep two instances from escalating or mailing the same row.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import { escalateOverduePages } from '../services/paging/escalate-pages.js';
import type { TMailer } from './mailer.js';
import { drainOutbox } from './outbox.js';
import type { TEmailRetryPolicy } from './retry.js';

export interface TNotifyWorkerOptions {
  db: Db;
  clock: Clock;
  mailer: TMailer | null;
  publicUrl: string;
  log: FastifyBaseLogger;
  /** Wall-clock milliseconds between passes. */
  intervalMs: number;
  retry: TEmailRetryPolicy;
}

export interface TNotifyWorker {
  /** One pass now (after the running one, if any); resolves when it is done. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startNotifyWorker(options: TNotifyWorkerOptions): TNotifyWorker {
  const { db, clock, log } = options;
  const shutdown = new AbortController();
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function pass(): Promise<void> {
    try {
      await escalateOverduePages(db, clock);
      if (stopped) return;
      await drainOutbox({ db, clock, mailer: options.mailer, publicUrl: options.publicUrl, retry: options.retry, signal: shutdown.signal, log });
    } catch (error) {
      if (!stopped) log.error({ err: error }, 'notify pass failed');
    }
  }

  function run(): Promise<void> {
    running = running.then(pass);
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, options.intervalMs);
  }

  schedule();
  return {
    tick: () => (stopped ? Promise.resolve() : run()),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      shutdown.abort();
      await running;
      options.mailer?.close();
    },
  };
}
