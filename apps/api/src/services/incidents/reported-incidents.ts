// The incidents the incidents gate reads, for many releases judged at once: one query, and none at all
// when no release being judged has such a gate (most playbooks), so the autopilot's pass costs nothing more.
import type { TGateSpec, TIncidentSeverity, TProblemKind } from '@rampart/contracts';
import type { TReportedIncident } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';

export interface TIncidentWatch {
  releaseId: string;
  gates: readonly TGateSpec[];
  /** The gate counts only incidents that started after the stage was entered and by now. */
  stage: { enteredAt: Date };
  now: Date;
}

/** By release id, oldest first; a release without an incidents gate is absent. */
export async function readReportedIncidents(db: Db | Tx, watches: readonly TIncidentWatch[]): Promise<Map<string, TReportedIncident[]>> {
  const watched = watches.filter((watch) => watch.gates.some((gate) => gate.kind === 'incidents'));
  const byRelease = new Map<string, TReportedIncident[]>(watched.map((watch) => [watch.releaseId, []]));
  if (watched.length === 0) return byRelease;
  const rows = await db.incident.findMany({
    where: { OR: watched.map((watch) => ({ releaseId: watch.releaseId, startedAt: { gte: watch.stage.enteredAt, lte: watch.now } })) },
    select: { releaseId: true, kind: true, severity: true, title: true, startedAt: true },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
  });
  for (const row of rows) {
    byRelease.get(row.releaseId)?.push({
      kind: row.kind as TProblemKind,
      severity: row.severity as TIncidentSeverity | null,
      title: row.title,
      startedAt: row.startedAt.getTime(),
    });
  }
  return byRelease;
}
