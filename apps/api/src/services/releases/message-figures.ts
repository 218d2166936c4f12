// What the message templates quote besides the release row: each cohort's requests, errors and P95 over
// the last five minutes, the latest analysis, the latest incident and how many are open, and the version
// the service ran before. Read one query at a time, so it also works inside a transaction.
import type { TCohort, TIncidentSeverity, TIncidentStatus } from '@rampart/contracts';
import { ZIncidentSeverity, ZIncidentStatus } from '@rampart/contracts';
import type { TCohortFigures, TMessageFacts } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';
import { storedAnalysisOf } from '../judgement/stored-analysis.js';
import type { TReleaseRecord } from './release-record.js';

const RECENT_MINUTES = 5;

/** The facts of TMessageFacts that are not on the release row (the outbox stores them with a delivery's event). */
export type TMessageFigures = Pick<TMessageFacts, 'figures' | 'analysis' | 'incident' | 'openIncidents' | 'previousVersion'>;

async function recentFigures(db: Db | Tx, releaseId: string, now: Date): Promise<TMessageFacts['figures']> {
  const rows = await db.$queryRaw<{ cohort: TCohort; metric: string; total: number; mean: number; points: number }[]>`
    SELECT cohort::text AS cohort, metric, sum(value)::float8 AS total, avg(value)::float8 AS mean, count(*)::int AS points
    FROM "MetricPoint"
    WHERE "releaseId" = ${releaseId}::uuid AND metric IN ('requests', 'errors', 'latency_p95_ms')
      AND ts > ${new Date(now.getTime() - RECENT_MINUTES * 60_000)} AND ts <= ${now}
    GROUP BY cohort, metric`;
  const cohort = (name: TCohort): TCohortFigures => {
    const row = (metric: string) => rows.find((r) => r.cohort === name && r.metric === metric);
    const latency = row('latency_p95_ms');
    return { requests: row('requests')?.total ?? 0, errors: row('errors')?.total ?? 0, latencyP95Ms: latency && latency.points > 0 ? latency.mean : null };
  };
  return { canary: cohort('canary'), baseline: cohort('baseline'), windowMinutes: RECENT_MINUTES };
}

/** `incidentId`: the incident a message is sent for; otherwise the latest one is quoted. */
export async function loadMessageFigures(db: Db | Tx, record: TReleaseRecord, now: Date, incidentId?: string): Promise<TMessageFigures> {
  const { row } = record;
  const figures = await recentFigures(db, row.id, now);
  const latest = await db.incident.findFirst({
    where: incidentId ? { releaseId: row.id, id: incidentId } : { releaseId: row.id },
    orderBy: [{ createdAt: 'desc' }, { startedAt: 'desc' }],
    select: { title: true, severity: true, status: true, startedAt: true, handler: true, publicNote: true },
  });
  const openIncidents = await db.incident.count({ where: { releaseId: row.id, status: 'open' } });
  // What production ran before this release: the service's latest release completed before this one started.
  const before = await db.release.findFirst({
    where: { service: row.service, state: 'completed', id: { not: row.id }, finishedAt: { lte: row.startedAt ?? now } },
    orderBy: { finishedAt: 'desc' },
    select: { version: true },
  });
  const stored = storedAnalysisOf(record);
  const severity = ZIncidentSeverity.safeParse(latest?.severity);
  const status = ZIncidentStatus.safeParse(latest?.status);
  return {
    figures,
    analysis: stored ? { stage: stored.stage, gates: stored.gates.map((g) => ({ verdict: g.verdict, summary: g.summary })) } : null,
    incident: latest
      ? {
          title: latest.title,
          severity: severity.success ? (severity.data satisfies TIncidentSeverity) : null,
          status: status.success ? (status.data satisfies TIncidentStatus) : 'open',
          startedAt: latest.startedAt,
          handler: latest.handler,
          publicNote: latest.publicNote,
        }
      : null,
    openIncidents,
    previousVersion: before?.version ?? null,
  };
}
