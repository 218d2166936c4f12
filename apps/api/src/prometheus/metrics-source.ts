// The service verbs behind PUT/GET /api/releases/:id/metrics-source.
import type { TMetricsSourceView, TPrometheusSource } from '@rampart/contracts';
import { isFinished } from '@rampart/domain';
import { ServiceError, notFound } from '../errors.js';
import { assertOutboundUrl } from '../outbound/assert-url.js';
import type { TOutboundAllow } from '../outbound/outbound-policy.js';
import type { TServiceContext } from '../services/context.js';
import { EMPTY_STATUS, parseStoredSource, sourceView, writeSource } from './source-store.js';

export async function getMetricsSource(ctx: Pick<TServiceContext, 'db'>, releaseId: string): Promise<TMetricsSourceView> {
  const row = await ctx.db.release.findUnique({ where: { id: releaseId }, select: { metricsSource: true } });
  if (!row) throw notFound('Release');
  return sourceView(releaseId, parseStoredSource(row.metricsSource));
}

/** Sets (or replaces) the release's Prometheus source; polling starts over from the release start. */
export async function setMetricsSource(
  ctx: Pick<TServiceContext, 'db'>,
  releaseId: string,
  prometheus: TPrometheusSource,
  outbound: TOutboundAllow,
): Promise<TMetricsSourceView> {
  const row = await ctx.db.release.findUnique({ where: { id: releaseId }, select: { state: true } });
  if (!row) throw notFound('Release');
  if (isFinished(row.state)) {
    throw new ServiceError('conflict', `The release is ${row.state.replace('_', ' ')}; it takes no more metrics`, { state: row.state });
  }
  await assertOutboundUrl(outbound, prometheus.url, 'url');
  const stored = { prometheus, status: EMPTY_STATUS };
  await writeSource(ctx.db, releaseId, stored);
  return sourceView(releaseId, stored);
}
