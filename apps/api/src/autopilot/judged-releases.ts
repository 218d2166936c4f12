// What the autopilot reads of the releases it judges, for many releases in a few statements: the row, its
// stages, the sign-offs, and of the checklist only the required items still open, the only ones that can
// block a ramp (rampBlockers). The release page's full record (loadRelease) is read only for a release the
// autopilot acts on or records an event for.
//
// Kept between passes, per release: its playbook copy (it never changes), parsed once; and its sign-offs and
// blocking checklist items with the revision they were read at. Every change to them goes through
// persistChange, which bumps the revision, so they are read again only when the revision moved.
// And the stored analysis (about 7 KB of JSON with the engine's carry) as this instance last wrote it, with
// the analyzedAt it wrote: only the autopilot writes an analysis, so while the row's analyzedAt is that one the
// row holds the same analysis, and it is neither sent by the database nor parsed again.
import type { TPlaybookSpec } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TReleaseSnapshot } from '@rampart/domain';
import type { Db } from '../db/prisma.js';
import { snapshotFrom } from '../services/releases/release-record.js';
import type { TJudgeable } from '../services/judgement/judge-release.js';
import type { TStoredAnalysis } from '../services/judgement/stored-analysis.js';

export interface TJudgedRelease extends TJudgeable {
  revision: number;
  /** Enough of the release for decideAutomation: its checklist holds only the required items still open. */
  snapshot: TReleaseSnapshot;
  /** The analysis stored on the row, whatever stage it judged. */
  stored: TStoredAnalysis | null;
  stages: { key: string; name: string; position: number; trafficPercent: number; minBakeSeconds: number; enteredAt: Date | null; exitedAt: Date | null }[];
}

/** The analysis a row holds while its analyzedAt is `at` (epoch ms; null: never analysed). */
export interface TKeptAnalysis {
  at: number | null;
  analysis: TStoredAnalysis | null;
}

interface TKept {
  spec: TPlaybookSpec;
  /** Absent until read, and whenever the row's analysis may have been written by another path. */
  stored?: TKeptAnalysis;
  revision: number;
  checklist: TReleaseSnapshot['checklist'];
  approvals: TReleaseSnapshot['approvals'];
}

/** What is kept of each release between passes, by id. */
export type TReleaseMemory = Map<string, TKept>;

export async function loadJudgedReleases(db: Db, ids: readonly string[], kept: TReleaseMemory = new Map()): Promise<TJudgedRelease[]> {
  if (ids.length === 0) return [];
  const rows = await db.release.findMany({
      where: { id: { in: [...ids] } },
      select: {
        id: true,
        state: true,
        ownerId: true,
        currentStageIndex: true,
        desiredPercent: true,
        acknowledgedPercent: true,
        revision: true,
        startedAt: true,
        finishedAt: true,
        metricsSource: true,
        analyzedAt: true,
        stages: {
          orderBy: { position: 'asc' },
          select: { key: true, name: true, position: true, trafficPercent: true, minBakeSeconds: true, enteredAt: true, exitedAt: true },
        },
      },
  });
  const stale = rows.filter((row) => kept.get(row.id)?.revision !== row.revision).map((row) => row.id);
  if (stale.length > 0) {
    const fresh = await db.release.findMany({
      where: { id: { in: stale } },
      select: {
        id: true,
        revision: true,
        playbookSpec: true,
        checklist: {
          where: { required: true, status: 'open' },
          orderBy: { position: 'asc' },
          select: { key: true, text: true, phase: true, stageKey: true, required: true, status: true },
        },
        approvals: { where: { supersededAt: null }, orderBy: { createdAt: 'asc' }, select: { role: true, stageKey: true, decision: true, userId: true, comment: true } },
      },
    });
    for (const row of fresh) {
      kept.set(row.id, {
        spec: kept.get(row.id)?.spec ?? ZPlaybookSpec.parse(row.playbookSpec),
        stored: kept.get(row.id)?.stored,
        revision: row.revision,
        checklist: row.checklist.map((item) => ({ ...item, phase: item.phase as TReleaseSnapshot['checklist'][number]['phase'] })),
        approvals: row.approvals,
      });
    }
  }
  const at = (row: { analyzedAt: Date | null }) => row.analyzedAt?.getTime() ?? null;
  const unknown = rows.filter((row) => kept.has(row.id) && kept.get(row.id)!.stored?.at !== at(row)).map((row) => row.id);
  if (unknown.length > 0) {
    const analyses = await db.release.findMany({ where: { id: { in: unknown } }, select: { id: true, analysis: true, analyzedAt: true } });
    for (const row of analyses) {
      const memo = kept.get(row.id);
      if (memo) memo.stored = { at: at(row), analysis: (row.analysis as TStoredAnalysis | null) ?? null };
    }
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id): TJudgedRelease[] => {
    const row = byId.get(id);
    const memo = kept.get(id);
    // Written between the two reads: judged at the next pass, from what it holds then.
    if (!row || !memo || memo.stored?.at !== at(row)) return [];
    const { spec } = memo;
    const stored = memo.stored.analysis;
    const stage = row.stages[row.currentStageIndex];
    const snapshot = snapshotFrom(row, spec, memo.checklist, memo.approvals);
    return [
      {
        id,
        revision: row.revision,
        startedAt: row.startedAt,
        currentStageIndex: row.currentStageIndex,
        stages: row.stages,
        metricsSource: row.metricsSource,
        spec,
        stored,
        current: stored && stage && stored.stage === stage.key ? stored : null,
        snapshot,
      },
    ];
  });
}
