// The freeze in force, as the release rules read it. A freeze is global: every release's start and ramp
// reads it beside the release.
import type { TFreezeFact } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';

export async function activeFreeze(db: Db | Tx): Promise<TFreezeFact | null> {
  const row = await db.freeze.findFirst({ where: { endedAt: null }, orderBy: { startedAt: 'desc' } });
  return row ? { reason: row.reason, declaredBy: row.startedByName, declaredAt: row.startedAt } : null;
}
