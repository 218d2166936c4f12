import type { TIncident, TReportIncidentBody } from '@rampart/contracts';
import type { TServiceContext } from '../context.js';
import { loadRelease } from '../releases/release-record.js';
import { inTransaction } from '../releases/transaction.js';
import { incidentView } from './incident-view.js';
import { retryLostRace } from './lost-race.js';
import { openIncident } from './open-incident.js';

/** A person reports a problem on a release; the playbook's response follows in the same transaction. */
export async function reportIncident(ctx: TServiceContext, releaseId: string, body: TReportIncidentBody): Promise<TIncident> {
  const row = await retryLostRace(() =>
    inTransaction(ctx.db, async (tx) => {
      const record = await loadRelease(tx, releaseId);
      return openIncident(
        tx,
        ctx.actor,
        record,
        {
          kind: body.kind,
          severity: body.severity ?? null,
          title: body.title,
          detail: body.detail ?? '',
          publicNote: body.publicNote || null,
          link: body.link ?? null,
          handler: body.handler || null,
          startedAt: body.startedAt ? new Date(body.startedAt) : null,
          source: 'person',
          externalKey: null,
        },
        ctx.clock.now(),
      );
    }),
  );
  return incidentView(row);
}
