import type { z } from 'zod';
import type { ZIncidentList } from '@rampart/contracts';
import type { Db } from '../../db/prisma.js';
import { notFound } from '../../errors.js';
import { incidentView } from './incident-view.js';

/** Enough for any release's page; an alerting tool firing hundreds of distinct alerts shows its newest. */
export const INCIDENT_LIST_LIMIT = 200;

/** The release's incidents, the latest to start first. */
export async function listIncidents(db: Db, releaseId: string): Promise<z.infer<typeof ZIncidentList>> {
  const release = await db.release.findUnique({ where: { id: releaseId }, select: { id: true } });
  if (!release) throw notFound('Release');
  const rows = await db.incident.findMany({
    where: { releaseId },
    orderBy: [{ startedAt: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
    take: INCIDENT_LIST_LIMIT,
  });
  return { incidents: rows.map(incidentView) };
}
