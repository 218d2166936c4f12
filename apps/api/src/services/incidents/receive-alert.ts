// An alerting tool's webhook (Alertmanager, Grafana and the like, mapped onto one common shape). A firing
// alert opens an incident once per fingerprint: tools repeat a firing alert until it resolves, and each
// repeat must not be a new incident nor act again. A resolved alert closes the incident its firing opened,
// even when the release has finished since (the rollback it caused is what finished it).
import type { TAlertBody, TIncident } from '@rampart/contracts';
import type { Incident } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../db/prisma.js';
import { ServiceError, uniqueViolationOf } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { persistChange } from '../releases/persist-change.js';
import { loadRelease } from '../releases/release-record.js';
import { inTransaction } from '../releases/transaction.js';
import { updatedEvent } from './incident-events.js';
import { incidentView } from './incident-view.js';
import { retryLostRace } from './lost-race.js';
import { openIncident } from './open-incident.js';

export interface TAlertOutcome {
  incident: TIncident;
  /** A first firing opened it (201); otherwise it existed already or was resolved (200). */
  created: boolean;
}

/** The release a firing alert concerns: by id, or the one running or paused release of its service. */
async function releaseOfAlert(db: Db, body: TAlertBody): Promise<string> {
  if (body.releaseId) return body.releaseId;
  if (!body.service) throw new ServiceError('invalid', 'body.releaseId: give releaseId or service', { field: 'body.releaseId' });
  const active = await db.release.findMany({ where: { service: body.service, state: { in: ['running', 'paused'] } }, select: { id: true }, take: 2 });
  if (active.length === 0) {
    throw new ServiceError('not_found', `body.service: no running or paused release of "${body.service}"`, { field: 'body.service' });
  }
  if (active.length > 1) {
    throw new ServiceError('conflict', `body.service: "${body.service}" has several running or paused releases; send releaseId`, { field: 'body.service' });
  }
  return active[0]!.id;
}

async function existingFiring(db: Db | Tx, releaseId: string, fingerprint: string): Promise<Incident | null> {
  return db.incident.findUnique({ where: { releaseId_externalKey: { releaseId, externalKey: fingerprint } } });
}

async function fire(ctx: TServiceContext, body: TAlertBody): Promise<TAlertOutcome> {
  const releaseId = await releaseOfAlert(ctx.db, body);
  const seen = await existingFiring(ctx.db, releaseId, body.fingerprint);
  if (seen) return { incident: incidentView(seen), created: false };
  try {
    const row = await retryLostRace(() =>
      inTransaction(ctx.db, async (tx) => {
        const record = await loadRelease(tx, releaseId);
        return openIncident(
          tx,
          ctx.actor,
          record,
          {
            kind: body.kind,
            severity: body.severity,
            title: body.summary,
            detail: body.description ?? '',
            publicNote: null,
            link: body.link ?? null,
            handler: null,
            startedAt: body.startsAt ? new Date(body.startsAt) : null,
            source: 'alert',
            externalKey: body.fingerprint,
          },
          ctx.clock.now(),
        );
      }),
    );
    return { incident: incidentView(row), created: true };
  } catch (error) {
    // The same alert delivered twice at once: the other delivery opened it.
    const raced = uniqueViolationOf(error) ? await existingFiring(ctx.db, releaseId, body.fingerprint) : null;
    if (raced) return { incident: incidentView(raced), created: false };
    throw error;
  }
}

/** The incident a resolved alert closes: on the named release, or the latest of the service's releases. */
async function firedIncident(db: Db | Tx, body: TAlertBody): Promise<Incident | null> {
  if (!body.releaseId && !body.service) throw new ServiceError('invalid', 'body.releaseId: give releaseId or service', { field: 'body.releaseId' });
  const release = body.releaseId ? { id: body.releaseId } : { service: body.service! };
  return db.incident.findFirst({ where: { externalKey: body.fingerprint, release }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

async function resolve(ctx: TServiceContext, body: TAlertBody): Promise<TAlertOutcome> {
  const row = await retryLostRace(() =>
    inTransaction(ctx.db, async (tx) => {
      const incident = await firedIncident(tx, body);
      if (!incident) throw new ServiceError('not_found', 'body.fingerprint: no incident was opened by an alert with this fingerprint', { field: 'body.fingerprint' });
      if (incident.status === 'resolved') return incident;
      const now = ctx.clock.now();
      const updated = await tx.incident.update({ where: { id: incident.id }, data: { status: 'resolved', resolvedAt: now } });
      const record = await loadRelease(tx, incident.releaseId);
      const event = updatedEvent(updated, ['status'], { escalated: false, page: false });
      await persistChange(tx, record, record.snapshot, { actor: ctx.actor, events: [event], at: now });
      return updated;
    }),
  );
  return { incident: incidentView(row), created: false };
}

export async function receiveAlert(ctx: TServiceContext, body: TAlertBody): Promise<TAlertOutcome> {
  return body.status === 'firing' ? fire(ctx, body) : resolve(ctx, body);
}
