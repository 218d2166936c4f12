// The releases list: summaries only, read in one query per page (a release's copy of its playbook and
// its analysis are never loaded), paged by a cursor on the list's own order so a deep page costs what
// the first one does. Each answer carries a validator over everything the filter matches, so pollers
// of an unchanged list get 304s from one aggregate query, and a page is rendered once per change.
import { createHash } from 'node:crypto';
import type { TReleaseList, TReleaseState } from '@rampart/contracts';
import { ACTIVE_STATES } from '@rampart/contracts';
import { Prisma } from '../../generated/prisma/client.js';
import { ServiceError } from '../../errors.js';
import type { Db } from '../../db/prisma.js';
import { rawPool } from '../../db/prisma.js';
import type { TServiceContext } from '../context.js';
import { FreshReads } from './cached-read.js';

export interface TListReleasesQuery {
  state?: TReleaseState[] | undefined;
  service?: string | undefined;
  limit: number;
  offset: number;
  cursor?: string | undefined;
}

/** Where a page starts: after this release in the order active-first, most recently changed, id. */
interface TCursor {
  rank: 0 | 1;
  updatedAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodeCursor(cursor: TCursor): string {
  return Buffer.from(JSON.stringify([cursor.rank, cursor.updatedAt.toISOString(), cursor.id])).toString('base64url');
}

function invalidCursor(): ServiceError {
  return new ServiceError('invalid', 'querystring.cursor: must be a nextCursor from a previous page', { field: 'querystring.cursor' });
}

function decodeCursor(text: string): TCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalidCursor();
  const [rank, updatedAt, id] = parsed as unknown[];
  const date = typeof updatedAt === 'string' ? new Date(updatedAt) : null;
  if ((rank !== 0 && rank !== 1) || !date || Number.isNaN(date.getTime()) || typeof id !== 'string' || !UUID.test(id)) {
    throw invalidCursor();
  }
  return { rank, updatedAt: date, id };
}

interface TSummaryRow {
  id: string;
  service: string;
  version: string;
  playbookId: string | null;
  playbookKey: string;
  playbookName: string;
  playbookVersion: number;
  state: TReleaseState;
  currentStageIndex: number;
  desiredPercent: number;
  acknowledgedPercent: number;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  stageKey: string | null;
  stageName: string | null;
  stagePercent: number | null;
  stageCount: number;
  /** Rollback procedure items (phase on_rollback) once a rollback started, else null; and the required ones still open. */
  procedureItems: number | null;
  procedureOpen: number | null;
  rank: 0 | 1;
}

function toSummary(row: TSummaryRow): TReleaseList['releases'][number] {
  return {
    id: row.id,
    service: row.service,
    version: row.version,
    owner: { id: row.ownerId, name: row.ownerName, email: row.ownerEmail },
    playbook: { id: row.playbookId, key: row.playbookKey, name: row.playbookName, version: row.playbookVersion },
    state: row.state,
    currentStage:
      row.stageKey !== null && row.stageName !== null && row.stagePercent !== null
        ? { key: row.stageKey, name: row.stageName, position: row.currentStageIndex, trafficPercent: row.stagePercent }
        : null,
    stageCount: row.stageCount,
    desiredPercent: row.desiredPercent,
    acknowledgedPercent: row.acknowledgedPercent,
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    rollbackProcedure: row.procedureItems ? { open: (row.procedureOpen ?? 0) > 0, openRequired: row.procedureOpen ?? 0 } : null,
  };
}

function filterOf(query: Pick<TListReleasesQuery, 'state' | 'service'>): Prisma.Sql {
  return Prisma.join(
    [
      query.state ? Prisma.sql`r.state::text IN (${Prisma.join(query.state)})` : Prisma.sql`TRUE`,
      query.service ? Prisma.sql`r.service = ${query.service}` : Prisma.sql`TRUE`,
    ],
    ' AND ',
  );
}

const rankOf = Prisma.sql`(CASE WHEN r.state::text IN (${Prisma.join([...ACTIVE_STATES])}) THEN 0 ELSE 1 END)`;

/**
 * A validator for the list under a filter: any change to a matching release moves its updatedAt
 * (Prisma stamps it on every write) and usually its revision; a new or vanished one moves the count.
 */
export async function listEtag(ctx: Pick<TServiceContext, 'db'>, query: Pick<TListReleasesQuery, 'state' | 'service'>) {
  const rows = await stampRows(ctx.db, query);
  const total = rows[0]?.total ?? 0;
  const digest = createHash('sha1').update(`${total}|${rows[0]?.stamp ?? ''}`).digest('base64url').slice(0, 16);
  return { total, etag: `W/"l${total}-${digest}"` };
}

// Read on every list request (a page is rendered only when it moves), so it goes straight to pg as a
// named prepared statement per filter shape: Prisma's raw query path cost more CPU than the aggregate.
async function stampRows(db: Db, query: Pick<TListReleasesQuery, 'state' | 'service'>): Promise<{ total: number; stamp: string | null }[]> {
  const values: unknown[] = [];
  const where: string[] = [];
  if (query.state) {
    values.push(query.state);
    where.push(`r.state::text = ANY($${values.length}::text[])`);
  }
  if (query.service) {
    values.push(query.service);
    where.push(`r.service = $${values.length}`);
  }
  const text = `SELECT count(*)::int AS total,
      (max(r."updatedAt")::text || '/' || sum(r.revision)::text || '/' || sum((extract(epoch FROM r."updatedAt") * 1000)::bigint)::text) AS stamp
    FROM "Release" r WHERE ${where.length > 0 ? where.join(' AND ') : 'TRUE'}`;
  const pool = rawPool(db);
  if (!pool) return db.$queryRawUnsafe(text, ...values);
  const name = `rampart_list_stamp_${query.state ? 's' : ''}${query.service ? 'v' : ''}`;
  return (await pool.query<{ total: number; stamp: string | null }>({ name, text, values })).rows;
}

/** Active releases first (most recently changed on top), then the rest, newest first. */
export async function listReleases(ctx: Pick<TServiceContext, 'db'>, query: TListReleasesQuery, total: number): Promise<TReleaseList> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const after = cursor
    ? Prisma.sql`(${rankOf} > ${cursor.rank} OR (${rankOf} = ${cursor.rank} AND (r."updatedAt" < ${cursor.updatedAt}
        OR (r."updatedAt" = ${cursor.updatedAt} AND r.id > ${cursor.id}::uuid))))`
    : Prisma.sql`TRUE`;
  const offset = cursor ? 0 : query.offset;
  const rows = await ctx.db.$queryRaw<TSummaryRow[]>`
    SELECT r.id, r.service, r.version, r."playbookId", r."playbookKey", r."playbookName", r."playbookVersion",
      r.state::text AS state, r."currentStageIndex", r."desiredPercent", r."acknowledgedPercent", r.revision,
      r."createdAt", r."updatedAt", r."startedAt", r."finishedAt",
      u.id AS "ownerId", u.name AS "ownerName", u.email AS "ownerEmail",
      s.key AS "stageKey", s.name AS "stageName", s."trafficPercent" AS "stagePercent",
      (SELECT count(*)::int FROM "ReleaseStage" c WHERE c."releaseId" = r.id) AS "stageCount",
      p.items AS "procedureItems", p.open AS "procedureOpen",
      ${rankOf} AS rank
    FROM "Release" r
    JOIN "User" u ON u.id = r."ownerId"
    LEFT JOIN "ReleaseStage" s ON s."releaseId" = r.id AND s.position = r."currentStageIndex"
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS items, (count(*) FILTER (WHERE i.required AND i.status = 'open'))::int AS open
      FROM "ChecklistItem" i WHERE i."releaseId" = r.id AND i.phase = 'on_rollback'
    ) p ON r.state::text IN ('rolling_back', 'rolled_back')
    WHERE ${filterOf(query)} AND ${after}
    ORDER BY ${rankOf}, r."updatedAt" DESC, r.id
    LIMIT ${query.limit + 1} OFFSET ${offset}`;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    releases: page.map(toSummary),
    total,
    nextCursor: rows.length > query.limit && last ? encodeCursor({ rank: last.rank, updatedAt: last.updatedAt, id: last.id }) : null,
  };
}

/** Pages kept (a page of 200 summaries is about 120 KB): the filters dashboards poll are few. */
const MAX_PAGES = 20;
/** An owner's new name reaches pages that nothing else changed after this long. */
const PAGE_MAX_AGE_MS = 30_000;

export class ReleaseListReader {
  private readonly pages = new Map<string, { etag: string; json: Buffer; renderedAtMs: number }>();

  /** One validator query in flight per filter, however many dashboards poll it at once. */
  private readonly stamps: FreshReads<string, { total: number; etag: string }>;

  constructor(private readonly db: Db, private readonly wallClock: () => number = Date.now) {
    this.stamps = new FreshReads((filter) => {
      const [state, service] = JSON.parse(filter) as [TReleaseState[] | null, string | null];
      return listEtag({ db }, { state: state ?? undefined, service: service ?? undefined });
    });
  }

  /** The validator, and the page's JSON on demand (not needed when the caller's copy is current). */
  async read(query: TListReleasesQuery): Promise<{ etag: string; json: () => Promise<Buffer> }> {
    // A bad cursor is refused even when the caller's copy would be current.
    if (query.cursor) decodeCursor(query.cursor);
    const { total, etag } = await this.stamps.get(JSON.stringify([query.state ?? null, query.service ?? null]));
    const key = JSON.stringify([query.state ?? null, query.service ?? null, query.limit, query.offset, query.cursor ?? null]);
    return {
      etag,
      json: async () => {
        const kept = this.pages.get(key);
        if (kept && kept.etag === etag && this.wallClock() - kept.renderedAtMs < PAGE_MAX_AGE_MS) return kept.json;
        // Encoded once per change of the list, not per answer.
        const json = Buffer.from(JSON.stringify(await listReleases({ db: this.db }, query, total)));
        this.pages.delete(key);
        this.pages.set(key, { etag, json, renderedAtMs: this.wallClock() });
        if (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
        return json;
      },
    };
  }
}
