// Demo mode only: a release of `demo-checkout`, started and ramped to its first canary stage, driven by
// the traffic simulator (@rampart/traffic) over the server's own HTTP address with an API token of the
// demo owner, so a newcomer sees live canary and baseline charts within seconds of starting Rampart.
import type { AddressInfo } from 'node:net';
import type { TApprovalRole, TTokenScope } from '@rampart/contracts';
import { FINISHED_STATES } from '@rampart/contracts';
import type { TScenarioInput, TSimulator, TSimulatorLogger, TSimulatorOptions } from '@rampart/traffic';
import { startSimulator } from '@rampart/traffic';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import { actorOfUser } from '../services/auth/actors.js';
import { createApiToken } from '../services/auth/api-tokens.js';
import type { TServiceContext } from '../services/context.js';
import { createRelease } from '../services/releases/create-release.js';
import { getRelease } from '../services/releases/get-release.js';
import { performAction } from '../services/releases/perform-action.js';
import { recordApproval } from '../services/releases/record-approval.js';
import { ServiceError } from '../errors.js';
import type { TDemoRequestFilter } from './quiet-requests.js';

export const DEMO_SERVICE = 'demo-checkout';
export const DEMO_OWNER_EMAIL = 'owner@rampart.test';
export const DEMO_PLAYBOOK_KEY = 'workers-phased';
export const DEMO_TOKEN_NAME = 'Demo traffic simulator';
const DEMO_REASON = 'Demo release';
const SCOPES: TTokenScope[] = ['metrics:write', 'traffic:ack', 'releases:read'];

export interface TDemoOptions {
  db: Db;
  clock: Clock;
  /** The server's own address, e.g. from `loopbackUrl(app.server.address())`. */
  baseUrl: string;
  logger: TSimulatorLogger;
  scenario?: TScenarioInput;
  /** Default 200 requests a second: a 10% canary gets enough traffic for every gate within minutes. */
  rps?: number;
  /**
   * How much faster than the wall clock the server's clock runs (RAMPART_TIME_SCALE). Windows widen with
   * it (at most about four a wall-clock second), so a compressed demo does not flood the database.
   */
  timeScale?: number;
  /** Told the simulator's token, so its own requests can be left out of the request log. */
  requestFilter?: TDemoRequestFilter;
  /** Passed on to the runner (tests). */
  simulator?: Partial<Omit<TSimulatorOptions, 'baseUrl' | 'token' | 'releaseId' | 'clock' | 'logger'>>;
}

export interface TDemo {
  releaseId: string;
  simulator: TSimulator;
  /** Stops the simulator and revokes its token. */
  stop(): Promise<void>;
}

/** An address the server can reach itself on: a wildcard bind becomes the loopback address. */
export function loopbackUrl(address: AddressInfo | string | null): string {
  if (!address || typeof address === 'string') throw new Error('the server is not listening on a TCP port');
  const host =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '[::1]' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * The active demo release (one that is not finished), or a new one: created from the built-in
 * playbook, started and ramped to its first stage with traffic, forced past the checklist and
 * sign-offs with the reason "Demo release". Returns null when the demo owner or playbook is missing.
 */
export async function ensureDemoRelease(ctx: TServiceContext): Promise<string | null> {
  const existing = await ctx.db.release.findFirst({
    where: { service: DEMO_SERVICE, state: { notIn: [...FINISHED_STATES] } },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  let id = existing?.id;
  if (!id) {
    const playbook = await ctx.db.playbook.findUnique({ where: { key: DEMO_PLAYBOOK_KEY }, select: { id: true } });
    if (!playbook) return null;
    const earlier = await ctx.db.release.count({ where: { service: DEMO_SERVICE } });
    id = await createRelease(ctx, {
      service: DEMO_SERVICE,
      version: `1.${earlier + 1}.0`,
      playbookId: playbook.id,
      notes: 'A demo release: its metrics come from the built-in traffic simulator (RAMPART_SIMULATOR=0 turns it off).',
    });
  }
  let release = await getRelease(ctx, id);
  if (release.state === 'draft' || release.state === 'ready') {
    release = await performAction(ctx, id, 'start', { expectedRevision: release.revision, force: true, reason: DEMO_REASON });
  }
  // Ramp past stages without production traffic (staging), so the charts have a canary and a baseline.
  while (release.state === 'running' && (release.currentStage?.trafficPercent ?? 0) === 0 && release.currentStageIndex < release.stageCount - 1) {
    const ramp = () =>
      performAction(ctx, id, 'ramp', {
        expectedRevision: release.revision,
        force: true,
        reason: `${DEMO_REASON}: straight to the first canary stage`,
      });
    try {
      release = await ramp();
    } catch (error) {
      // A force skips checks but never sign-offs: the demo approvers give the ones the stage asks for.
      if (!(await signOffAsDemoApprovers(ctx, id, error))) throw error;
      release = await getRelease(ctx, id);
      release = await ramp();
    }
  }
  return id;
}

/** Records the sign-offs a refused ramp names as missing, each by a demo user holding that role. False when there were none. */
async function signOffAsDemoApprovers(ctx: TServiceContext, releaseId: string, error: unknown): Promise<boolean> {
  if (!(error instanceof ServiceError)) return false;
  const blockers = (error.extras as { blockers?: { kind: string; detail?: { role?: TApprovalRole; stage?: string } }[] }).blockers ?? [];
  const missing = blockers.flatMap((b) => (b.kind === 'approval_missing' && b.detail?.role ? [{ role: b.detail.role, stage: b.detail.stage }] : []));
  if (missing.length === 0) return false;
  for (const { role, stage } of missing) {
    const approver = await ctx.db.user.findFirst({
      where: { email: { endsWith: '@rampart.test' }, approvalRoles: { has: role }, disabled: false },
    });
    if (!approver) return false;
    await recordApproval({ ...ctx, actor: actorOfUser(approver) }, releaseId, { role, decision: 'approve', stage, comment: DEMO_REASON });
  }
  return true;
}

/** Sets up the demo release and starts the simulator against it. Null when there is nothing to run on. */
export async function startDemo(options: TDemoOptions): Promise<TDemo | null> {
  const { db, clock, logger } = options;
  const owner = await db.user.findUnique({ where: { email: DEMO_OWNER_EMAIL } });
  if (!owner || owner.disabled) {
    logger.warn({ email: DEMO_OWNER_EMAIL }, 'demo simulator not started: the demo owner is missing or disabled');
    return null;
  }
  const ctx: TServiceContext = { db, clock, actor: actorOfUser(owner) };
  const releaseId = await ensureDemoRelease(ctx);
  if (!releaseId) {
    logger.warn({ playbook: DEMO_PLAYBOOK_KEY }, 'demo simulator not started: the demo playbook is missing');
    return null;
  }
  // One live demo token at a time: earlier runs' tokens are revoked (they were never shown to anyone).
  await db.apiToken.updateMany({
    where: { userId: owner.id, name: DEMO_TOKEN_NAME, revokedAt: null },
    data: { revokedAt: clock.now() },
  });
  const token = await createApiToken(ctx, { name: DEMO_TOKEN_NAME, scopes: SCOPES, expiresInDays: 7 });
  options.requestFilter?.useToken(token.token);
  const simulator = startSimulator({
    baseUrl: options.baseUrl,
    token: token.token,
    releaseId,
    clock,
    logger,
    scenario: options.scenario ?? 'healthy',
    rps: options.rps ?? 200,
    windowSeconds: Math.max(1, Math.ceil((options.timeScale ?? 1) / 4)),
    ...options.simulator,
  });
  logger.info({ releaseId, service: DEMO_SERVICE }, 'demo release running on the traffic simulator');
  return {
    releaseId,
    simulator,
    async stop() {
      await simulator.stop();
      options.requestFilter?.useToken(null);
      await db.apiToken.update({ where: { id: token.id }, data: { revokedAt: clock.now() } }).catch(() => undefined);
    },
  };
}

/**
 * What server.ts calls after listening: starts the demo in the background (the server never waits for
 * it, nor fails because of it) and returns a stop for the graceful shutdown, safe to call at any moment.
 */
export function runDemoInBackground(options: TDemoOptions): { stop(): Promise<void> } {
  let stopping = false;
  const started = startDemo(options).then(
    async (demo) => {
      if (stopping) await demo?.stop();
      return demo;
    },
    (err: unknown) => {
      options.logger.error({ err }, 'demo simulator not started');
      return null;
    },
  );
  return {
    async stop() {
      stopping = true;
      const demo = await started;
      await demo?.stop();
    },
  };
}
