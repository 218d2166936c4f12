// Configuration comes from the environment only, validated once at start with one clear line per bad value.
import path from 'node:path';
import { z } from 'zod';
import type { TOutboundAllow } from './outbound/outbound-policy.js';
import { parseOutboundAllow } from './outbound/outbound-policy.js';
import { parseAllowedHosts } from './webhooks/targets.js';
import type { SmtpSettings } from './notify/smtp-settings.js';
import { parseSmtpSettings } from './notify/smtp-settings.js';

const ZBooleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'must be 1 or 0 (or true/false)' })
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const ZEnvironment = z.object({
  PORT: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string')
    .optional(),
  RAMPART_DATA_DIR: z.string().min(1).optional(),
  RAMPART_DEMO: ZBooleanFlag.optional(),
  RAMPART_SIMULATOR: ZBooleanFlag.optional(),
  RAMPART_ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  RAMPART_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  RAMPART_PUBLIC_URL: z.url({ message: 'must be a URL such as https://rampart.example.com' }).optional(),
  RAMPART_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  RAMPART_METRICS_RETENTION_DAYS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number of days').min(1).max(3650).default(30),
  RAMPART_TIME_SCALE: z.coerce.number({ message: 'must be a number' }).min(1, 'must be at least 1').max(10_000).default(1),
  RAMPART_AUTOPILOT_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  RAMPART_WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
  RAMPART_OUTBOUND_ALLOW: z.string().optional(),
  RAMPART_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (a random secret)').optional(),
  RAMPART_SMTP_URL: z.string().optional(),
  RAMPART_SMTP_FROM: z.string().max(320).regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an email address, optionally with a name: Rampart <rampart@example.com>').optional(),
  RAMPART_NOTIFY_INTERVAL_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(20).max(600_000).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface TConfig {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  demo: boolean;
  /** Demo mode only: a demo release driven by the built-in traffic simulator (RAMPART_SIMULATOR=0 turns it off). */
  demoSimulator: boolean;
  admin: { email: string; password: string } | null;
  publicUrl: string;
  sessionHours: number;
  secureCookies: boolean;
  /** Metric points of releases finished longer ago than this are deleted. */
  metricsRetentionDays: number;
  /** The server clock runs this many times faster than the wall clock (demos, whole-rollout checks). */
  timeScale: number;
  /** How often the autopilot judges every active release, in wall-clock milliseconds. */
  autopilotIntervalMs: number;
  logLevel: z.infer<typeof ZEnvironment>['LOG_LEVEL'];
  /** Hosts webhooks may target (names or *.suffix patterns); null: any host, private addresses included. */
  webhookAllowedHosts: string[] | null;
  /** Inside addresses and hosts that webhooks and Prometheus sources may reach all the same (RAMPART_OUTBOUND_ALLOW). */
  outboundAllow: TOutboundAllow;
  /** Failed logins allowed per account and per client address within the window; more answer 429. */
  loginThrottle: { windowMs: number; maxFailuresPerAccount: number; maxFailuresPerAddress: number };
  /** A bearer secret that may read GET /metrics (Prometheus scrapes); admins may read it too. Null: admins only. */
  metricsToken: string | null;
  /** Where email goes out (pages, messages to contacts); null: email is off. */
  smtp: SmtpSettings | null;
  /** Wall-clock milliseconds between looks at overdue pages and the email outbox. */
  notifyIntervalMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): TConfig {
  // An empty variable means "not set", as most shells and compose files use it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ZEnvironment.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  if ((e.RAMPART_ADMIN_EMAIL === undefined) !== (e.RAMPART_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['RAMPART_ADMIN_EMAIL and RAMPART_ADMIN_PASSWORD: give both or neither']);
  }
  const outbound = parseOutboundAllow(e.RAMPART_OUTBOUND_ALLOW);
  if (outbound.problems.length > 0) throw new ConfigError(outbound.problems.map((p) => `RAMPART_OUTBOUND_ALLOW: ${p}`));
  const databaseUrl = e.DATABASE_URL ?? null;
  const publicUrl = (e.RAMPART_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const smtp = e.RAMPART_SMTP_URL === undefined ? { settings: null, problems: [] } : parseSmtpSettings(e.RAMPART_SMTP_URL, e.RAMPART_SMTP_FROM, publicUrl);
  if (smtp.problems.length > 0) throw new ConfigError(smtp.problems);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    dataDir: path.resolve(cwd, e.RAMPART_DATA_DIR ?? '.data'),
    // Demo users with a known password exist only on the embedded database, unless asked for.
    demo: e.RAMPART_DEMO ?? databaseUrl === null,
    demoSimulator: (e.RAMPART_DEMO ?? databaseUrl === null) && (e.RAMPART_SIMULATOR ?? true),
    admin: e.RAMPART_ADMIN_EMAIL && e.RAMPART_ADMIN_PASSWORD ? { email: e.RAMPART_ADMIN_EMAIL, password: e.RAMPART_ADMIN_PASSWORD } : null,
    publicUrl,
    sessionHours: e.RAMPART_SESSION_HOURS,
    secureCookies: publicUrl.startsWith('https://'),
    timeScale: e.RAMPART_TIME_SCALE,
    metricsRetentionDays: e.RAMPART_METRICS_RETENTION_DAYS,
    // Every 5 s of the wall clock, or more often when the clock runs faster (never under 200 ms).
    autopilotIntervalMs: e.RAMPART_AUTOPILOT_INTERVAL_MS ?? Math.max(200, Math.round(5000 / e.RAMPART_TIME_SCALE)),
    logLevel: e.LOG_LEVEL,
    webhookAllowedHosts: parseAllowedHosts(e.RAMPART_WEBHOOK_ALLOWED_HOSTS),
    outboundAllow: outbound.allow,
    loginThrottle: { windowMs: 15 * 60_000, maxFailuresPerAccount: 10, maxFailuresPerAddress: 50 },
    metricsToken: e.RAMPART_METRICS_TOKEN ?? null,
    smtp: smtp.settings,
    // Escalation is due to the second of the server's clock: look every 2 s of it, at most every 200 ms of the wall clock.
    notifyIntervalMs: e.RAMPART_NOTIFY_INTERVAL_MS ?? Math.max(200, Math.round(2000 / e.RAMPART_TIME_SCALE)),
  };
}
