// Metric points are kept while a release may still be judged or looked at, then dropped: those of
// releases finished more than `retentionDays` ago. A finished release's events and analysis stay.
import type { Db } from '../../db/prisma.js';

export async function pruneMetrics(db: Db, now: Date, retentionDays: number): Promise<{ points: number; histograms: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const [points, histograms] = await db.$transaction([
    db.$executeRaw`DELETE FROM "MetricPoint" WHERE "releaseId" IN (SELECT id FROM "Release" WHERE "finishedAt" < ${cutoff})`,
    db.$executeRaw`DELETE FROM "MetricHistogram" WHERE "releaseId" IN (SELECT id FROM "Release" WHERE "finishedAt" < ${cutoff})`,
  ]);
  return { points, histograms };
}
