// Where a release's Prometheus source lives: Release.metricsSource holds
// { prometheus: <the config as given>, status: <how polling goes> }.
import type { TMetricsSourceStatus, TMetricsSourceView, TPrometheusSource } from '@rampart/contracts';
import { ZMetricsSourceStatus, ZPrometheusSource } from '@rampart/contracts';
import type { Prisma } from '../generated/prisma/client.js';
import type { Db, Tx } from '../db/prisma.js';

export interface TStoredMetricsSource {
  prometheus: TPrometheusSource;
  status: TMetricsSourceStatus;
}

export const EMPTY_STATUS: TMetricsSourceStatus = { polledUntil: null, lastSuccessAt: null, error: null };

/** The stored source, or null when there is none (or it no longer parses: then it is ignored, never half-used). */
export function parseStoredSource(json: unknown): TStoredMetricsSource | null {
  if (typeof json !== 'object' || json === null || !('prometheus' in json)) return null;
  const prometheus = ZPrometheusSource.safeParse((json as { prometheus: unknown }).prometheus);
  if (!prometheus.success) return null;
  const status = ZMetricsSourceStatus.safeParse((json as { status?: unknown }).status);
  return { prometheus: prometheus.data, status: status.success ? status.data : EMPTY_STATUS };
}

export function sourceView(releaseId: string, stored: TStoredMetricsSource | null): TMetricsSourceView {
  return { releaseId, prometheus: stored?.prometheus ?? null, status: stored?.status ?? null };
}

export async function writeSource(db: Db | Tx, releaseId: string, stored: TStoredMetricsSource): Promise<void> {
  await db.release.update({ where: { id: releaseId }, data: { metricsSource: stored as unknown as Prisma.InputJsonValue } });
}

/** Replaces only the status, so a configuration saved meanwhile is kept. */
export async function writeStatus(db: Db | Tx, releaseId: string, status: TMetricsSourceStatus): Promise<void> {
  await db.$executeRaw`
    UPDATE "Release" SET "metricsSource" = jsonb_set("metricsSource"::jsonb, '{status}', ${JSON.stringify(status)}::jsonb)
    WHERE id = ${releaseId}::uuid AND "metricsSource" IS NOT NULL AND jsonb_typeof("metricsSource"::jsonb) = 'object'`;
}
