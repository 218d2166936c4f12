// Seeds what the read benchmark reads: releases of every built-in playbook that look like a busy
// installation's. A few "template" releases are made through the services (so their rows are what the
// app writes) and walked into realistic states by SQL; some carry thousands of events and tens of
// thousands of metric points and a stored analysis from a real evaluation. The rest of the list is
// made by copying the templates' rows, which is fast enough to seed hundreds of releases.
import type pg from 'pg';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { Clock } from '../src/clock.js';
import type { Db } from '../src/db/prisma.js';
import { evaluateRelease } from '../src/autopilot/evaluate-release.js';
import { actorOfUser } from '../src/services/auth/actors.js';
import { createRelease } from '../src/services/releases/create-release.js';

export interface TReadsSeed {
  /** A running release with many events, points and a stored analysis: the page people keep open. */
  heavyId: string;
  releaseCount: number;
}

const BIN_MS = 10_000;
const BUILT_IN_METRICS = ['requests', 'errors', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms', 'health_ok'];

async function gateMetrics(client: pg.Client, releaseId: string): Promise<string[]> {
  const { rows } = await client.query<{ spec: unknown }>(`SELECT "playbookSpec" AS spec FROM "Release" WHERE id = $1`, [releaseId]);
  const spec = ZPlaybookSpec.parse(rows[0]?.spec);
  const named = spec.gates.flatMap((gate) => ('metric' in gate && typeof gate.metric === 'string' ? [gate.metric] : []));
  return [...new Set([...BUILT_IN_METRICS, ...named.filter((m) => m !== 'error_rate' && m !== 'latency')])];
}

/** Walks a fresh release into its `stageIndex`th stage, with the checklist ticked and approvals signed. */
async function walkInto(client: pg.Client, releaseId: string, stageIndex: number, now: Date, approverIds: string[]): Promise<void> {
  const stageMs = 40 * 60_000;
  const startedAt = new Date(now.getTime() - (stageIndex + 1) * stageMs);
  await client.query(
    `UPDATE "ReleaseStage" SET
       "enteredAt" = CASE WHEN position <= $2 THEN $3::timestamptz + position * interval '40 minutes' END,
       "exitedAt" = CASE WHEN position < $2 THEN $3::timestamptz + (position + 1) * interval '40 minutes' END
     WHERE "releaseId" = $1`,
    [releaseId, stageIndex, startedAt],
  );
  await client.query(
    `UPDATE "ReleaseStage" SET "enteredAt" = LEAST("enteredAt", $2) WHERE "releaseId" = $1 AND position = $3`,
    [releaseId, now, stageIndex],
  );
  await client.query(
    `UPDATE "ChecklistItem" SET status = 'done', note = 'checked', "updatedById" = $2, "updatedAt" = $3
     WHERE "releaseId" = $1 AND (phase = 'before_start' OR position % 3 <> 0)`,
    [releaseId, approverIds[0], startedAt],
  );
  for (const [i, userId] of approverIds.entries()) {
    await client.query(
      `INSERT INTO "Approval" (id, "releaseId", role, "stageKey", decision, comment, "userId", "createdAt")
       VALUES (gen_random_uuid(), $1, $2::"ApprovalRole", NULL, 'approve', 'Looks good to me', $3, $4)`,
      [releaseId, ['product', 'security', 'infrastructure', 'engineering'][i % 4], userId, startedAt],
    );
  }
  await client.query(
    `UPDATE "Release" SET state = 'running', "currentStageIndex" = $2, "startedAt" = $3,
       "desiredPercent" = (SELECT "trafficPercent" FROM "ReleaseStage" WHERE "releaseId" = $1 AND position = $2),
       "acknowledgedPercent" = (SELECT "trafficPercent" FROM "ReleaseStage" WHERE "releaseId" = $1 AND position = $2),
       "acknowledgedAt" = $3, revision = revision + 20
     WHERE id = $1`,
    [releaseId, stageIndex, startedAt],
  );
}

/** An audit log as long as a week-long rollout's: actions, checklist ticks, verdict changes, deliveries. */
async function addEvents(client: pg.Client, releaseId: string, count: number, now: Date): Promise<void> {
  await client.query(
    `INSERT INTO "ReleaseEvent" ("releaseId", type, "actorId", "actorName", reason, data, revision, "createdAt")
     SELECT $1, (ARRAY['checklist.updated','gate.verdict_changed','webhook.delivered','release.paused','release.resumed'])[1 + i % 5],
            NULL, 'autopilot', CASE WHEN i % 7 = 0 THEN 'routine' END,
            jsonb_build_object('gate', 'error-rate', 'from', 'pass', 'to', 'warn', 'summary', repeat('x', 120), 'i', i),
            1 + i / 50, $3::timestamptz - (($2 - i) * interval '1 second')
     FROM generate_series(1, $2) AS i`,
    [releaseId, count, now],
  );
}

/** `minutes` of 10-second bins of every metric the release's gates read, for both cohorts. */
async function addPoints(client: pg.Client, releaseId: string, metrics: string[], minutes: number, now: Date): Promise<number> {
  const bins = (minutes * 60_000) / BIN_MS;
  const { rowCount } = await client.query(
    `INSERT INTO "MetricPoint" ("releaseId", cohort, metric, ts, value)
     SELECT $1, c.cohort::"Cohort", m.metric, $3::timestamptz - (b * interval '10 seconds'),
            CASE m.metric
              WHEN 'requests' THEN CASE c.cohort WHEN 'canary' THEN 500 ELSE 9500 END + (b * 37) % 50
              WHEN 'errors' THEN CASE c.cohort WHEN 'canary' THEN 2 ELSE 30 END + (b * 13) % 3
              WHEN 'health_ok' THEN 1
              WHEN 'latency_p50_ms' THEN 40 + (b * 7) % 5
              WHEN 'latency_p95_ms' THEN 120 + (b * 11) % 20
              WHEN 'latency_p99_ms' THEN 250 + (b * 17) % 40
              ELSE 0.99 - ((b * 3) % 5) / 1000.0
            END
     FROM generate_series(1, $2) AS b, unnest(ARRAY['canary','baseline']) AS c(cohort), unnest($4::text[]) AS m(metric)`,
    [releaseId, bins, now, metrics],
  );
  return rowCount ?? 0;
}

/** Copies a release's own rows (not its events or points) under a new id, service and updatedAt. */
async function cloneRelease(client: pg.Client, templateId: string, service: string, updatedAt: Date): Promise<void> {
  await client.query(
    `WITH src AS (SELECT * FROM "Release" WHERE id = $1),
     ins AS (
       INSERT INTO "Release" (id, service, version, notes, "ownerId", "playbookId", "playbookKey", "playbookName", "playbookVersion",
         "playbookSpec", state, "currentStageIndex", "desiredPercent", "acknowledgedPercent", "acknowledgedAt", revision,
         "createdAt", "updatedAt", "startedAt", "finishedAt", analysis, "analyzedAt", "metricsSource")
       SELECT gen_random_uuid(), $2, version, notes, "ownerId", "playbookId", "playbookKey", "playbookName", "playbookVersion",
         "playbookSpec", state, "currentStageIndex", "desiredPercent", "acknowledgedPercent", "acknowledgedAt", revision,
         "createdAt", $3, "startedAt", "finishedAt", analysis, "analyzedAt", "metricsSource"
       FROM src RETURNING id
     ),
     stages AS (
       INSERT INTO "ReleaseStage" (id, "releaseId", position, key, name, "trafficPercent", "minBakeSeconds", "enteredAt", "exitedAt")
       SELECT gen_random_uuid(), ins.id, position, key, name, "trafficPercent", "minBakeSeconds", "enteredAt", "exitedAt"
       FROM "ReleaseStage", ins WHERE "releaseId" = $1
     ),
     items AS (
       INSERT INTO "ChecklistItem" (id, "releaseId", key, position, section, text, phase, "stageKey", required, "ownerRole", status, note, "updatedById", "updatedAt")
       SELECT gen_random_uuid(), ins.id, key, position, section, text, phase, "stageKey", required, "ownerRole", status, note, "updatedById", "updatedAt"
       FROM "ChecklistItem", ins WHERE "releaseId" = $1
     )
     INSERT INTO "Approval" (id, "releaseId", role, "stageKey", decision, comment, "userId", "createdAt", "supersededAt")
     SELECT gen_random_uuid(), ins.id, role, "stageKey", decision, comment, "userId", "createdAt", "supersededAt"
     FROM "Approval", ins WHERE "releaseId" = $1`,
    [templateId, service, updatedAt],
  );
}

export async function seedReads(
  deps: { db: Db; clock: Clock; client: pg.Client },
  options: { releases: number; heavyEvents: number; heavyPointMinutes: number },
): Promise<TReadsSeed> {
  const { db, clock, client } = deps;
  const now = clock.now();
  const users = await db.user.findMany({ orderBy: { email: 'asc' } });
  const owner = users.find((u) => u.role === 'release_owner') ?? users[0]!;
  const approverIds = users.filter((u) => u.role === 'approver').map((u) => u.id);
  const ctx = { db, clock, actor: actorOfUser(owner) };
  const playbooks = await db.playbook.findMany({ orderBy: { key: 'asc' } });

  // Two templates per built-in playbook: one running at its second stage (heavy for the first playbook
  // with a checklist), one left as created (draft or ready).
  const templates: string[] = [];
  let heavyId: string | null = null;
  for (const playbook of playbooks) {
    const running = await createRelease(ctx, { service: `${playbook.key}-svc`, version: '2026.11.29', playbookId: playbook.id, notes: 'Ships the new checkout flow.\n'.repeat(8) });
    const draft = await createRelease(ctx, { service: `${playbook.key}-svc`, version: '2026.11.30', playbookId: playbook.id });
    const stages = await db.releaseStage.count({ where: { releaseId: running } });
    await walkInto(client, running, Math.min(1, stages - 1), now, approverIds);
    templates.push(running, draft);
    const heavy = playbook.key === 'valine-canary' || heavyId === null;
    if (heavy) {
      await addEvents(client, running, options.heavyEvents, now);
      await addPoints(client, running, await gateMetrics(client, running), options.heavyPointMinutes, now);
      if (playbook.key === 'valine-canary' || heavyId === null) heavyId = running;
    } else {
      await addEvents(client, running, 200, now);
      await addPoints(client, running, await gateMetrics(client, running), 20, now);
    }
    // A real evaluation stores what the autopilot stores: the analysis and its carry.
    await evaluateRelease({ db, clock }, running);
  }
  for (let i = templates.length; i < options.releases; i++) {
    const template = templates[i % templates.length]!;
    await cloneRelease(client, template, `service-${String(i).padStart(3, '0')}`, new Date(now.getTime() - i * 60_000));
  }
  return { heavyId: heavyId!, releaseCount: Math.max(options.releases, templates.length) };
}
