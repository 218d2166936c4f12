import type { TGateVerdict, TIncidentSeverity, TIncidentStatus, TReleaseState, TStatusIncident, TStatusPage, TStatusRelease } from '@rampart/contracts';
import { ACTIVE_STATES, FINISHED_STATES } from '@rampart/contracts';
import { releaseHealth } from '@rampart/domain';
import { Prisma } from '../../generated/prisma/client.js';
import type { TServiceContext } from '../context.js';
import { withReleaseLink } from '../messages/link-base.js';

const RECENT_HOURS = 24;
const RECENT_LIMIT = 20;
const INCIDENTS_PER_RELEASE = 10;

interface TStatusRow {
  id: string;
  service: string;
  version: string;
  state: TReleaseState;
  desiredPercent: number;
  updatedAt: Date;
  currentStageIndex: number;
  stageName: string | null;
  stageKey: string | null;
  previousStageKey: string | null;
  analysisStage: string | null;
  verdicts: TGateVerdict[] | null;
  messageTitle: string | null;
  messageText: string | null;
  messageSentAt: Date | null;
  incidents: { severity: TIncidentSeverity | null; status: TIncidentStatus; startedAt: string; publicNote: string | null }[] | null;
  openIncidents: number;
}

/** What the public reads of an incident without a public note: its status, never its title or detail. */
const GENERIC_NOTE: Record<TIncidentStatus, string> = {
  open: 'Investigating an issue',
  mitigated: 'A fix is in place; monitoring',
  resolved: 'Resolved',
};

// Only the analysis's stage and gate verdicts are read: the stored analysis (with the engine's carry) is
// kilobytes per release, and this page lists every active one. The latest external message and the
// incidents come in the same query, public columns only.
const columns = Prisma.sql`
  r.id, r.service, r.version, r.state::text AS state, r."desiredPercent", r."updatedAt", r."currentStageIndex",
  s.name AS "stageName", s.key AS "stageKey", p.key AS "previousStageKey", r.analysis->>'stage' AS "analysisStage",
  (SELECT array_agg(g->>'verdict') FROM jsonb_array_elements(
    CASE WHEN jsonb_typeof(r.analysis->'gates') = 'array' THEN r.analysis->'gates' ELSE '[]'::jsonb END) g) AS verdicts,
  m.title AS "messageTitle", m.text AS "messageText", m."sentAt" AS "messageSentAt",
  (SELECT json_agg(json_build_object('severity', i.severity, 'status', i.status, 'startedAt', i."startedAt", 'publicNote', i."publicNote")
     ORDER BY i."startedAt", i.id)
   FROM (SELECT * FROM "Incident" WHERE "releaseId" = r.id ORDER BY "startedAt" DESC, id LIMIT ${INCIDENTS_PER_RELEASE}) i) AS incidents,
  (SELECT count(*)::int FROM "Incident" WHERE "releaseId" = r.id AND status = 'open') AS "openIncidents"`;
const joins = Prisma.sql`
  LEFT JOIN "ReleaseStage" s ON s."releaseId" = r.id AND s.position = r."currentStageIndex"
  LEFT JOIN "ReleaseStage" p ON p."releaseId" = r.id AND p.position = r."currentStageIndex" - 1
  LEFT JOIN LATERAL (
    SELECT title, text, "sentAt" FROM "SentMessage"
    WHERE "releaseId" = r.id AND audience = 'external' ORDER BY "sentAt" DESC, id DESC LIMIT 1
  ) m ON true`;

function healthOf(row: TStatusRow): TStatusRelease['health'] {
  const current = row.stageKey === null ? [] : [{ key: row.stageKey, name: row.stageName ?? row.stageKey }];
  const stages = row.previousStageKey === null ? current : [{ key: row.previousStageKey, name: row.previousStageKey }, ...current];
  return releaseHealth({
    state: row.state,
    currentStageIndex: current.length === 0 ? -1 : stages.length - 1,
    stages,
    analysis: row.analysisStage === null && row.verdicts === null ? null : { stage: row.analysisStage, verdicts: row.verdicts ?? [] },
    openIncidents: row.openIncidents,
  }).word;
}

function incidentsOf(row: TStatusRow): TStatusIncident[] {
  return (row.incidents ?? []).map((incident) => ({
    severity: incident.severity,
    status: incident.status,
    startedAt: new Date(incident.startedAt).toISOString(),
    note: incident.publicNote ?? GENERIC_NOTE[incident.status] ?? GENERIC_NOTE.open,
  }));
}

function toStatus(row: TStatusRow, publicUrl: string): TStatusRelease {
  return {
    id: row.id,
    service: row.service,
    version: row.version,
    state: row.state,
    stage: row.stageName,
    percent: row.desiredPercent,
    health: healthOf(row),
    updatedAt: row.updatedAt.toISOString(),
    message:
      row.messageTitle !== null && row.messageText !== null && row.messageSentAt !== null
        ? { title: row.messageTitle, text: withReleaseLink(row.messageText, publicUrl, row.id), sentAt: row.messageSentAt.toISOString() }
        : null,
    incidents: incidentsOf(row),
  };
}

/** The banner agrees with the cards: an open incident anywhere on the page, or a degraded card in progress, is degraded. */
function summaryOf(active: readonly TStatusRelease[], recent: readonly TStatusRelease[]): TStatusPage['summary'] {
  if (active.some((r) => r.state === 'rolling_back')) return 'rolling_back';
  const openIncident = [...active, ...recent].some((r) => r.incidents.some((i) => i.status === 'open'));
  if (openIncident || active.some((r) => r.health === 'degraded')) return 'degraded';
  return active.length > 0 ? 'rolling_out' : 'all_good';
}

/**
 * What support and the public see without logging in: no owners, notes, reasons, or incident details. The
 * messages' release links point at `publicUrl`, this instance.
 */
export async function statusPage(ctx: Pick<TServiceContext, 'db' | 'clock'>, publicUrl: string): Promise<TStatusPage> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - RECENT_HOURS * 3600_000);
  const [active, recent] = await Promise.all([
    ctx.db.$queryRaw<TStatusRow[]>`
      SELECT ${columns} FROM "Release" r ${joins}
      WHERE r.state::text IN (${Prisma.join([...ACTIVE_STATES])})
      ORDER BY r."updatedAt" DESC, r.id`,
    ctx.db.$queryRaw<TStatusRow[]>`
      SELECT ${columns} FROM "Release" r ${joins}
      WHERE r.state::text IN (${Prisma.join([...FINISHED_STATES])}) AND r."finishedAt" >= ${since}
      ORDER BY r."finishedAt" DESC, r.id
      LIMIT ${RECENT_LIMIT}`,
  ]);
  const current = active.map((row) => toStatus(row, publicUrl));
  const finished = recent.map((row) => toStatus(row, publicUrl));
  return { generatedAt: now.toISOString(), summary: summaryOf(current, finished), active: current, recent: finished };
}
