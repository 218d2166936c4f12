// Loading a release with everything its rules and its page need, and turning it into the domain's snapshot.
import type { TIncidentAction, TPlaybookSpec } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TFreezeFact, TIncidentFact, TReleaseSnapshot } from '@rampart/domain';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../db/prisma.js';
import { notFound } from '../../errors.js';
import { activeFreeze } from '../freeze/active-freeze.js';

/** The incident responses that hold a release while their incident is open; `notify` only tells people. */
export const HOLDING_INCIDENT_ACTIONS: readonly TIncidentAction[] = ['hold', 'pause', 'rollback'];

/** Of its incidents, a release's rules read only the open ones that hold it. */
export const holdingIncidents = {
  where: { status: 'open', action: { in: [...HOLDING_INCIDENT_ACTIONS] } },
  orderBy: { startedAt: 'asc' },
  select: { id: true, title: true, severity: true, kind: true, action: true },
} satisfies Prisma.Release$incidentsArgs;

export const releaseInclude = {
  owner: true,
  stages: { orderBy: { position: 'asc' } },
  checklist: { orderBy: { position: 'asc' }, include: { updatedBy: true } },
  approvals: { where: { supersededAt: null }, orderBy: { createdAt: 'asc' }, include: { user: true } },
  incidents: holdingIncidents,
  nextAttempts: { select: { id: true }, orderBy: { createdAt: 'asc' } },
} satisfies Prisma.ReleaseInclude;

export type TReleaseRow = Prisma.ReleaseGetPayload<{ include: typeof releaseInclude }>;
/** What the release page shows: the row without the large JSON columns (the spec copy is read once per release). */
export type TReleaseViewRow = Omit<TReleaseRow, 'playbookSpec' | 'analysis' | 'metricsSource'>;

export interface TReleaseRecord {
  row: TReleaseRow;
  spec: TPlaybookSpec;
  snapshot: TReleaseSnapshot;
}

export function toRecord(row: TReleaseRow, freeze: TFreezeFact | null = null): TReleaseRecord {
  const spec = ZPlaybookSpec.parse(row.playbookSpec);
  return { row, spec, snapshot: snapshotOf(row, spec, freeze) };
}

export function incidentFacts(incidents: readonly TReleaseViewRow['incidents'][number][]): TIncidentFact[] {
  return incidents.map((incident) => ({ ...incident, action: incident.action as TIncidentAction }));
}

/** The columns of a release row the domain's snapshot is made of, besides its checklist and sign-offs. */
export type TSnapshotRow = Pick<
  TReleaseViewRow,
  'state' | 'ownerId' | 'currentStageIndex' | 'desiredPercent' | 'acknowledgedPercent' | 'startedAt' | 'finishedAt'
> & {
  stages: Pick<TReleaseViewRow['stages'][number], 'key' | 'name' | 'trafficPercent' | 'minBakeSeconds' | 'position' | 'enteredAt' | 'exitedAt'>[];
};

/** A freeze is not part of the row: whoever holds one passes it (the page's cached render adds it per read). */
export function snapshotOf(row: TReleaseViewRow, spec: TPlaybookSpec, freeze: TFreezeFact | null = null): TReleaseSnapshot {
  const checklist = row.checklist.map((item) => ({
    key: item.key,
    text: item.text,
    phase: item.phase as TReleaseSnapshot['checklist'][number]['phase'],
    stageKey: item.stageKey,
    required: item.required,
    status: item.status,
  }));
  const approvals = row.approvals.map((a) => ({ role: a.role, stageKey: a.stageKey, decision: a.decision, userId: a.userId, comment: a.comment }));
  return snapshotFrom(row, spec, checklist, approvals, { incidents: incidentFacts(row.incidents), freeze });
}

/** What the release rules read besides the release itself: open incidents that hold it, and the freeze. */
export interface TWorldFacts {
  incidents?: readonly TIncidentFact[];
  freeze?: TFreezeFact | null;
}

/** The snapshot from a row's columns and the checklist and sign-offs read (or kept) beside it. */
export function snapshotFrom(
  row: TSnapshotRow,
  spec: TPlaybookSpec,
  checklist: TReleaseSnapshot['checklist'],
  approvals: TReleaseSnapshot['approvals'],
  facts: TWorldFacts = {},
): TReleaseSnapshot {
  return {
    state: row.state,
    ownerId: row.ownerId,
    currentStageIndex: row.currentStageIndex,
    desiredPercent: row.desiredPercent,
    acknowledgedPercent: row.acknowledgedPercent,
    stages: row.stages.map((stage) => ({
      key: stage.key,
      name: stage.name,
      trafficPercent: stage.trafficPercent,
      minBakeSeconds: stage.minBakeSeconds,
      signoff: spec.stages[stage.position]?.signoff ?? [],
      enteredAt: stage.enteredAt,
      exitedAt: stage.exitedAt,
    })),
    checklist,
    approvalsBeforeStart: spec.approvalsBeforeStart,
    approvals,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    windows: spec.windows,
    incidents: facts.incidents ?? [],
    freeze: facts.freeze ?? null,
  };
}

export async function loadRelease(db: Db | Tx, id: string): Promise<TReleaseRecord> {
  // A transaction's client has no $connect (it does have a $transaction).
  const row = '$connect' in db ? await db.release.findUnique({ where: { id }, include: releaseInclude }) : await loadRowInTransaction(db as Tx, id);
  if (!row) throw notFound('Release');
  return toRecord(row, await activeFreeze(db));
}

/**
 * Inside a transaction, one relation per query. Prisma's query interpreter (@prisma/client-engine-runtime
 * 7.10) runs an include's relation queries at once, and inside a transaction they all go to the one
 * connection, so pg warns "client.query() when the client is already executing a query" (an error in
 * pg 9). Outside a transaction each query takes its own pool connection, so the include stays.
 */
async function loadRowInTransaction(tx: Tx, id: string): Promise<TReleaseRow | null> {
  const release = await tx.release.findUnique({ where: { id }, include: { owner: releaseInclude.owner } });
  if (!release) return null;
  const stages = await tx.releaseStage.findMany({ where: { releaseId: id }, orderBy: releaseInclude.stages.orderBy });
  const checklist = await tx.checklistItem.findMany({ where: { releaseId: id }, ...releaseInclude.checklist });
  const approvals = await tx.approval.findMany({ where: { releaseId: id, ...releaseInclude.approvals.where }, orderBy: releaseInclude.approvals.orderBy, include: releaseInclude.approvals.include });
  const incidents = await tx.incident.findMany({ where: { releaseId: id, ...holdingIncidents.where }, orderBy: holdingIncidents.orderBy, select: holdingIncidents.select });
  const nextAttempts = await tx.release.findMany({ where: { previousAttemptId: id }, ...releaseInclude.nextAttempts });
  return { ...release, stages, checklist, approvals, incidents, nextAttempts };
}
