import type { TAnalysis } from '@rampart/contracts';
import type { TServiceContext } from '../context.js';
import { loadRelease } from '../releases/release-record.js';
import { judgeRelease } from './judge-release.js';

/** The current stage judged now, from the stored points; null before the release has started. */
export async function analyzeRelease(ctx: Pick<TServiceContext, 'db' | 'clock'>, releaseId: string): Promise<TAnalysis | null> {
  const record = await loadRelease(ctx.db, releaseId);
  const judged = await judgeRelease(ctx.db, record, record.row.finishedAt ?? ctx.clock.now());
  return judged?.analysis ?? null;
}
