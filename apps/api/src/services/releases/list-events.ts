import type { TReleaseEvent } from '@rampart/contracts';
import { notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import type { TStoredEvent } from './stored-event.js';

type TEventRow = TStoredEvent;

export function toEventDto(row: TEventRow): TReleaseEvent {
  return {
    id: row.id.toString(),
    type: row.type as TReleaseEvent['type'],
    actor: { id: row.actorId, name: row.actorName },
    reason: row.reason,
    data: row.data as Record<string, unknown>,
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listEvents(ctx: Pick<TServiceContext, 'db'>, releaseId: string, query: { limit: number; before?: string | undefined }) {
  const exists = await ctx.db.release.count({ where: { id: releaseId } });
  if (!exists) throw notFound('Release');
  const rows = await ctx.db.releaseEvent.findMany({
    where: { releaseId, ...(query.before ? { id: { lt: BigInt(query.before) } } : {}) },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const events = page.map(toEventDto);
  const last = page.at(-1);
  return { events, nextBefore: rows.length > query.limit && last ? last.id.toString() : null };
}
