// Scheduled updates (seed 004: "Internal Update (every 30 min)"): each autopilot pass sends, for every
// running release, the `everySeconds` templates whose current period has not gone out yet. Only the latest
// period is sent: an instance that was down for two hours sends one update, not four late ones.
import { everyOccasion } from '@rampart/domain';
import type { Db } from '../../db/prisma.js';
import { inTransaction } from '../releases/transaction.js';
import { sendTemplates, templatesOf } from './send-templates.js';

interface TDue {
  releaseId: string;
  templateKey: string;
  period: number;
}

/**
 * One query finds what is due across every running release, so a pass costs the same with none due; a
 * release with something due costs one short transaction. Returns how many messages went out.
 */
export async function sendScheduledMessages(db: Db, now: Date): Promise<number> {
  const due = await db.$queryRaw<TDue[]>`
    WITH scheduled AS (
      SELECT r.id AS "releaseId", m->>'key' AS "templateKey",
             floor(extract(epoch FROM (${now}::timestamptz - r."startedAt")) / (m->>'everySeconds')::float8)::int AS period
      FROM "Release" r
      CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(r."playbookSpec"->'messages') = 'array' THEN r."playbookSpec"->'messages' ELSE '[]'::jsonb END) m
      WHERE r.state = 'running' AND r."startedAt" IS NOT NULL
        AND jsonb_typeof(m->'everySeconds') = 'number' AND (m->>'everySeconds')::float8 > 0
    )
    SELECT d."releaseId", d."templateKey", d.period FROM scheduled d
    WHERE d.period >= 1 AND NOT EXISTS (
      SELECT 1 FROM "SentMessage" s
      WHERE s."releaseId" = d."releaseId" AND s."templateKey" = d."templateKey" AND s.occasion = 'every:' || d.period)
    ORDER BY d."releaseId"`;
  const byRelease = new Map<string, TDue[]>();
  for (const row of due) byRelease.set(row.releaseId, [...(byRelease.get(row.releaseId) ?? []), row]);
  let sent = 0;
  for (const [releaseId, rows] of byRelease) {
    sent += await inTransaction(db, async (tx) => {
      // Paused or finished since the query: not running, so no update is due.
      const release = await tx.release.findUnique({ where: { id: releaseId }, select: { state: true, playbookSpec: true } });
      if (release?.state !== 'running') return 0;
      const templates = templatesOf(release.playbookSpec);
      const sendings = rows.flatMap((row) => {
        const template = templates.find((t) => t.key === row.templateKey);
        return template ? [{ template, moment: 'every' as const, occasion: everyOccasion(row.period) }] : [];
      });
      return sendTemplates(tx, releaseId, sendings, now);
    });
  }
  return sent;
}
