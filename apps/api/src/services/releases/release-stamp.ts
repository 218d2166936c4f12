// What a release page's validator is made of, read in one small query: the revision (every change a
// person or the autopilot makes to the release or its children bumps it), the row's updatedAt, and
// the gate verdicts of the latest analysis of the current stage, which move the action buttons without
// a revision. The large JSON columns are never read whole.
import { createHash } from 'node:crypto';
import type { TGateVerdict } from '@rampart/contracts';
import type { TFreezeFact } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';
import { rawPool } from '../../db/prisma.js';

export interface TReleaseStamp {
  id: string;
  revision: number;
  updatedAt: Date;
  /** The current stage's bake end; null when there is no current stage or it has not been entered. */
  bakeEndsAt: Date | null;
  /** Gate key to verdict, from the stored analysis when it judged the current stage; empty otherwise. */
  verdicts: ReadonlyMap<string, TGateVerdict>;
  /** The freeze in force: global, so it moves every release's buttons without a revision. */
  freeze: (TFreezeFact & { id: string }) | null;
}

interface TStampRow {
  revision: number;
  updatedAt: Date;
  enteredAt: Date | null;
  minBakeSeconds: number | null;
  verdicts: string | null;
  freezeId: string | null;
  freezeReason: string | null;
  freezeBy: string | null;
  freezeAt: Date | null;
}

// The stamp is read on every page read and every poll, so it goes straight to pg as a named prepared
// statement (parsed and planned once per connection): through Prisma's raw query path the same lookup
// cost about as much CPU as the rest of the read together (profiled in bench/reads.ts).
const STAMP_SQL = `
  SELECT r.revision, r."updatedAt", s."enteredAt", s."minBakeSeconds",
    CASE WHEN r.analysis->>'stage' = s.key THEN
      (SELECT string_agg((g->>'key') || '=' || (g->>'verdict'), ',' ORDER BY g->>'key') FROM jsonb_array_elements(r.analysis->'gates') g)
    END AS verdicts,
    f.id::text AS "freezeId", f.reason AS "freezeReason", f."startedByName" AS "freezeBy", f."startedAt" AS "freezeAt"
  FROM "Release" r
  LEFT JOIN "ReleaseStage" s ON s."releaseId" = r.id AND s.position = r."currentStageIndex"
  LEFT JOIN LATERAL (SELECT * FROM "Freeze" WHERE "endedAt" IS NULL ORDER BY "startedAt" DESC LIMIT 1) f ON true
  WHERE r.id = $1::uuid`;

async function stampRows(db: Db | Tx, id: string): Promise<TStampRow[]> {
  // A transaction client has no pool of its own: it must read inside its transaction, through Prisma.
  const pool = rawPool(db as Db);
  if (pool) return (await pool.query<TStampRow>({ name: 'rampart_release_stamp', text: STAMP_SQL, values: [id] })).rows;
  return db.$queryRawUnsafe<TStampRow[]>(STAMP_SQL, id);
}

export async function loadReleaseStamp(db: Db | Tx, id: string): Promise<TReleaseStamp | null> {
  const row = (await stampRows(db, id))[0];
  if (!row) return null;
  const verdicts = new Map<string, TGateVerdict>();
  for (const pair of row.verdicts ? row.verdicts.split(',') : []) {
    const at = pair.lastIndexOf('=');
    verdicts.set(pair.slice(0, at), pair.slice(at + 1) as TGateVerdict);
  }
  const bakeEndsAt = row.enteredAt && row.minBakeSeconds !== null ? new Date(row.enteredAt.getTime() + row.minBakeSeconds * 1000) : null;
  const freeze =
    row.freezeId && row.freezeReason !== null && row.freezeBy !== null && row.freezeAt
      ? { id: row.freezeId, reason: row.freezeReason, declaredBy: row.freezeBy, declaredAt: row.freezeAt }
      : null;
  return { id, revision: row.revision, updatedAt: row.updatedAt, bakeEndsAt, verdicts, freeze };
}

/**
 * A weak validator: two answers with the same one show the same state, stage, checklist, approvals and
 * buttons. The bake countdown is the one thing that moves on its own, so the validator takes it in
 * minutes while the bake runs (a poller's copy may count down from a minute earlier; `bakeEndsAt` in
 * the stages is exact), and in the last minute in seconds, so the ramp button opens on time.
 */
export function releaseEtag(stamp: TReleaseStamp, now: Date, outsideWindows = false): string {
  const left = stamp.bakeEndsAt ? (stamp.bakeEndsAt.getTime() - now.getTime()) / 1000 : 0;
  const bake = left <= 0 ? 'done' : left > 60 ? `${Math.ceil(left / 60)}m` : `${Math.ceil(left)}s`;
  const verdicts = [...stamp.verdicts].map(([key, verdict]) => `${key}=${verdict}`).join(',');
  const digest = createHash('sha1')
    .update(`${stamp.id}|${verdicts}|${stamp.freeze?.id ?? ''}|${outsideWindows ? 'closed' : 'open'}`)
    .digest('base64url')
    .slice(0, 12);
  return `W/"r${stamp.revision}-${digest}-${bake}"`;
}
