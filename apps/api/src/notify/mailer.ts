// The SMTP client: nodemailer's pooled SMTP transport (a well-kept client that speaks STARTTLS, AUTH and
// the status codes we store), with time limits so a silent server cannot hold a send, or shutdown, for long.
import nodemailer from 'nodemailer';
import type { SmtpSettings } from './smtp-settings.js';
import { failureWord } from './failure.js';

export interface TEmail {
  to: { name: string; address: string }[];
  subject: string;
  text: string;
}

export type TSendOutcome = { ok: true } | { ok: false; error: string };

export interface TMailer {
  /** Names the server for logs, without its password. */
  readonly server: string;
  send(email: TEmail, signal: AbortSignal): Promise<TSendOutcome>;
  close(): void;
}

export interface TMailerTimeouts {
  connectMs: number;
  /** One whole send, connection included. */
  sendMs: number;
}

export const DEFAULT_MAILER_TIMEOUTS: TMailerTimeouts = { connectMs: 10_000, sendMs: 20_000 };

export function createMailer(settings: SmtpSettings, timeouts: TMailerTimeouts = DEFAULT_MAILER_TIMEOUTS): TMailer {
  const auth = settings.auth();
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 2,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(auth ? { auth } : {}),
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.connectMs,
    socketTimeout: timeouts.sendMs,
    // Messages are plain text built here; nothing in them may make the client read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
  return {
    server: settings.describe(),
    async send(email, signal) {
      if (signal.aborted) return { ok: false, error: 'aborted' };
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<TSendOutcome>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, error: 'timeout' }), timeouts.sendMs);
        signal.addEventListener('abort', () => resolve({ ok: false, error: 'aborted' }), { once: true });
      });
      const sending = transport
        .sendMail({ from: settings.from, to: email.to, subject: email.subject, text: email.text })
        .then((): TSendOutcome => ({ ok: true }))
        .catch((error: unknown): TSendOutcome => ({ ok: false, error: failureWord(error) }));
      try {
        return await Promise.race([sending, limit]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => transport.close(),
  };
}
