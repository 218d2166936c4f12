// Loading a release with everything its rules and its page need, and turning it into the domain's snapshot.
import type { TPlaybookSpec } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TReleaseSnapshot } from '@rampart/domain';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../db/prisma.js';
import { notFound } from '../../errors.js';

export const releaseInclude = {
  owner: true,
  stages: { orderBy: { position: 'asc' } },
  checklist: { orderBy: { position: 'asc' }, include: { updatedBy: true } },
  approvals: { where: { supersededAt: null }, orderBy: { createdAt: 'asc' }, include: { user: true } },
} satisfies Prisma.ReleaseInclude;

export type TReleaseRow = Prisma.ReleaseGetPayload<{ include: typeof releaseInclude }>;
/** What the release page shows: the row without the large JSON columns (the spec copy is read once per release). */
export type TReleaseViewRow = Omit<TReleaseRow, 'playbookSpec' | 'analysis' | 'metricsSource'>;

export interface TReleaseRecord {
  row: TReleaseRow;
  spec: TPlaybookSpec;
  snapshot: TReleaseSnapshot;
}

export function toRecord(row: TReleaseRow): TReleaseRecord {
  const spec = ZPlaybookSpec.parse(row.playbookSpec);
  return { row, spec, snapshot: snapshotOf(row, spec) };
}

export function snapshotOf(row: TReleaseViewRow, spec: TPlaybookSpec): TReleaseSnapshot {
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
    checklist: row.checklist.map((item) => ({
      key: item.key,
      text: item.text,
      phase: item.phase as TReleaseSnapshot['checklist'][number]['phase'],
      stageKey: item.stageKey,
      required: item.required,
      status: item.status,
    })),
    approvalsBeforeStart: spec.approvalsBeforeStart,
    approvals: row.approvals.map((a) => ({ role: a.role, stageKey: a.stageKey, decision: a.decision, userId: a.userId })),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export async function loadRelease(db: Db | Tx, id: string): Promise<TReleaseRecord> {
  const row = await db.release.findUnique({ where: { id }, include: releaseInclude });
  if (!row) throw notFound('Release');
  return toRecord(row);
}
