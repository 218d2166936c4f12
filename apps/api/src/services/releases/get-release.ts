import type { TReleaseState } from '@rampart/contracts';
import { ACTIVE_STATES } from '@rampart/contracts';
import { Prisma } from '../../generated/prisma/client.js';
import type { TServiceContext } from '../context.js';
import { gateStatusesOf } from '../judgement/stored-analysis.js';
import { loadRelease } from './release-record.js';
import { toReleaseDto, toReleaseSummary } from './release-view.js';

export async function getRelease(ctx: Pick<TServiceContext, 'db' | 'clock'>, id: string) {
  const record = await loadRelease(ctx.db, id);
  return toReleaseDto(record, ctx.clock.now(), gateStatusesOf(record));
}

export interface TListReleasesQuery {
  state?: TReleaseState[] | undefined;
  service?: string | undefined;
  limit: number;
  offset: number;
}

/** Active releases first (most recently changed on top), then the rest, newest first. */
export async function listReleases(ctx: Pick<TServiceContext, 'db'>, query: TListReleasesQuery) {
  const filters = [
    query.state ? Prisma.sql`state::text IN (${Prisma.join(query.state)})` : Prisma.sql`TRUE`,
    query.service ? Prisma.sql`service = ${query.service}` : Prisma.sql`TRUE`,
  ];
  const where = Prisma.join(filters, ' AND ');
  const active = Prisma.join([...ACTIVE_STATES]);
  const [page, counted] = await Promise.all([
    ctx.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Release" WHERE ${where}
      ORDER BY CASE WHEN state::text IN (${active}) THEN 0 ELSE 1 END, "updatedAt" DESC, id
      LIMIT ${query.limit} OFFSET ${query.offset}`,
    ctx.db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM "Release" WHERE ${where}`,
  ]);
  const ids = page.map((r) => r.id);
  const rows = await ctx.db.release.findMany({
    where: { id: { in: ids } },
    include: { owner: true, stages: { orderBy: { position: 'asc' } } },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const releases = ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toReleaseSummary(row)] : [];
  });
  return { releases, total: Number(counted[0]?.total ?? 0) };
}
