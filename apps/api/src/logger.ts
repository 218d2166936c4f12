// The server's log output: JSON lines for machines (containers, log shippers), readable lines for a
// person at a terminal. RAMPART_LOG_PRETTY=1 forces readable, =0 forces JSON; unset follows the TTY.
import pretty from 'pino-pretty';
import { z } from 'zod';
import { ConfigError } from './config.js';

const ZPrettyFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'RAMPART_LOG_PRETTY: must be 1 or 0 (or true/false)' })
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value))
  .optional();

/** Whether to print readable lines; a bad RAMPART_LOG_PRETTY is a ConfigError like any other setting's. */
export function wantsPrettyLogs(env: NodeJS.ProcessEnv = process.env, isTty = process.stdout.isTTY === true): boolean {
  const parsed = ZPrettyFlag.safeParse(env.RAMPART_LOG_PRETTY || undefined);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  return parsed.data ?? isTty;
}

export function loggerOptions(level: string, prettyLogs: boolean) {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    // In-process and synchronous (no worker thread): the bundled server needs no transport resolution,
    // and lines written just before an exit are not lost.
    ...(prettyLogs
      ? { stream: pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) }
      : {}),
  };
}
