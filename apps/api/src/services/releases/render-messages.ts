import type { TReleaseState } from '@rampart/contracts';
import type { TMessageVariables } from '@rampart/domain';
import { renderMessage } from '@rampart/domain';
import type { TServiceContext } from '../context.js';
import type { TReleaseRecord } from './release-record.js';
import { loadRelease } from './release-record.js';
import type { TMessageFigures } from './message-figures.js';
import { loadMessageFigures } from './message-figures.js';

const STATE_WORDS: Record<TReleaseState, string> = {
  draft: 'Draft',
  ready: 'Ready',
  running: 'Running',
  paused: 'Paused',
  rolling_back: 'Rolling back',
  rolled_back: 'Rolled back',
  completed: 'Completed',
  aborted: 'Aborted',
};

async function latestReason(ctx: Pick<TServiceContext, 'db'>, releaseId: string): Promise<string | null> {
  const event = await ctx.db.releaseEvent.findFirst({
    where: { releaseId, type: { in: ['release.rollback_started', 'release.paused'] }, reason: { not: null } },
    orderBy: { id: 'desc' },
  });
  return event?.reason ?? null;
}

export function variablesOf(
  record: TReleaseRecord,
  now: Date,
  reason: string | null,
  publicUrl: string,
  figures: TMessageFigures,
): TMessageVariables {
  const { row } = record;
  const stage = row.stages[row.currentStageIndex];
  const next = row.stages[row.currentStageIndex + 1];
  return {
    service: row.service,
    version: row.version,
    previousVersion: 'the previous version',
    notes: row.notes || 'No notes given',
    owner: row.owner.name,
    state: STATE_WORDS[row.state],
    health: figures.health,
    stage: stage?.name ?? 'not started',
    percent: String(row.desiredPercent),
    acknowledgedPercent: String(row.acknowledgedPercent),
    nextStage: next?.name ?? 'none',
    nextPercent: String(next?.trafficPercent ?? stage?.trafficPercent ?? 0),
    startedAt: row.startedAt?.toISOString() ?? 'not started',
    finishedAt: row.finishedAt?.toISOString() ?? 'not finished',
    now: now.toISOString(),
    errorRate: figures.errorRate,
    baselineErrorRate: figures.baselineErrorRate,
    latencyP95: figures.latencyP95,
    baselineLatencyP95: figures.baselineLatencyP95,
    issues: figures.issues,
    reason: reason ?? 'not given',
    releaseUrl: `${publicUrl}/releases/${row.id}`,
  };
}

export async function renderReleaseMessages(ctx: Pick<TServiceContext, 'db' | 'clock'>, releaseId: string, publicUrl: string) {
  const record = await loadRelease(ctx.db, releaseId);
  const now = ctx.clock.now();
  const [reason, figures] = await Promise.all([latestReason(ctx, releaseId), loadMessageFigures(ctx.db, record, now)]);
  const variables = variablesOf(record, now, reason, publicUrl, figures);
  return { messages: record.spec.messages.map((template) => renderMessage(template, variables)) };
}
