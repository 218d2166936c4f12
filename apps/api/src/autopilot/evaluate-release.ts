// The autopilot's step for a set of releases: judge each one's current stage, record verdict changes, and
// act by its playbook's policy. Everything it needs is read from the database, so a restart loses nothing,
// and an action is written conditionally on the revision it read, so a person acting meanwhile wins and
// nothing is done twice.
//
// Cost. The releases are read together (judged-releases.ts), their points together (read-bins.ts), and
// the analyses that changed are written together in one statement. An analysis that did not change (same
// verdicts, evidence and carry: only its time would move) is not written at all. Only a release with
// something to record (a verdict change, an action, an overdue stage) takes its own transaction.
import { createHash } from 'node:crypto';
import type { TAnalysis, TGateVerdict } from '@rampart/contracts';
import type { TAutomationDecision, TDomainEvent } from '@rampart/domain';
import { decideAction, decideAutomation, gateStatuses, maxBakeExceeded } from '@rampart/domain';
import type { Prisma } from '../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import { ServiceError } from '../errors.js';
import { AUTOPILOT } from '../services/auth/actors.js';
import type { BinCache } from '../services/judgement/bin-cache.js';
import type { TReleaseJudgement } from '../services/judgement/judge-release.js';
import { judgeReleases } from '../services/judgement/judge-release.js';
import type { TStoredAnalysis } from '../services/judgement/stored-analysis.js';
import { persistChange } from '../services/releases/persist-change.js';
import { activeFreeze } from '../services/freeze/active-freeze.js';
import type { TWorldFacts } from '../services/releases/release-record.js';
import { HOLDING_INCIDENT_ACTIONS, holdingIncidents, incidentFacts, loadRelease } from '../services/releases/release-record.js';
import { inTransaction } from '../services/releases/transaction.js';
import type { TJudgedRelease, TReleaseMemory } from './judged-releases.js';
import { loadJudgedReleases } from './judged-releases.js';

export interface TEvaluation {
  analysis: TAnalysis;
  decision: TAutomationDecision;
  /** The action taken, if any (null when held or when someone else changed the release first). */
  acted: string | null;
  /** The stage's bake time ended since the previous evaluation: the release's blockers changed. */
  bakeJustEnded: boolean;
}

/** What the autopilot keeps between passes to judge cheaply; optional (an empty one reads everything). */
export interface TJudgementMemory {
  bins: BinCache;
  releases: TReleaseMemory;
}

export interface TEvaluateDeps {
  db: Db;
  clock: Clock;
  memory?: TJudgementMemory;
}

/** A release's evaluation (null when it is not running or paused at an entered stage), or why it failed. */
export type TEvaluationOutcome = { releaseId: string; evaluation: TEvaluation | null; error?: undefined } | { releaseId: string; evaluation?: undefined; error: unknown };

interface TStep {
  release: TJudgedRelease;
  stored: TStoredAnalysis;
  /** `stored` as written. */
  json: string;
  evaluation: TEvaluation;
  changes: TDomainEvent[];
  /** The stored analysis must be replaced: it changed, or its time matters to the next evaluation. */
  write: boolean;
}

function verdictChanges(previous: TAnalysis | null, next: TAnalysis): TDomainEvent[] {
  const before = new Map<string, TGateVerdict>(previous?.gates.map((g) => [g.key, g.verdict]) ?? []);
  return next.gates
    .filter((gate) => before.get(gate.key) !== gate.verdict && !(before.get(gate.key) === undefined && gate.verdict === 'inconclusive'))
    .map((gate) => ({
      type: 'gate.verdict_changed' as const,
      data: { gate: gate.key, name: gate.name, from: before.get(gate.key) ?? null, to: gate.verdict, summary: gate.summary, evidence: gate.evidence },
    }));
}

/**
 * The stored analysis as JSON, and its fingerprint: a digest of all of it but the evaluation time. One
 * serialisation serves both (the time and the digest are put in front of the rest).
 */
function serialise(analysis: TAnalysis, breachedThisStage: string[], judged: TReleaseJudgement): { json: string; fingerprint: string } {
  const { evaluatedAt, ...timeless } = analysis;
  const rest = JSON.stringify({ ...timeless, breachedThisStage, carry: judged.carry });
  const fingerprint = createHash('sha1').update(rest).digest('base64');
  return { json: `{"evaluatedAt":${JSON.stringify(evaluatedAt)},"fingerprint":${JSON.stringify(fingerprint)},${rest.slice(1)}`, fingerprint };
}

/**
 * What the rules read besides the releases: the freeze in force, and each release's open incidents that hold
 * it. Read for the pass, so a freeze or an incident stops the autopilot's next step forward.
 */
async function worldFacts(db: Db, ids: readonly string[]): Promise<(id: string) => TWorldFacts> {
  if (ids.length === 0) return () => ({});
  const freeze = await activeFreeze(db);
  const incidents = await db.incident.findMany({
    where: { releaseId: { in: [...ids] }, status: 'open', action: { in: [...HOLDING_INCIDENT_ACTIONS] } },
    orderBy: holdingIncidents.orderBy,
    select: { ...holdingIncidents.select, releaseId: true },
  });
  return (id) => ({ freeze, incidents: incidentFacts(incidents.filter((incident) => incident.releaseId === id)) });
}

/** Judges one release and decides; no writes. */
function stepOf(release: TJudgedRelease, judged: TReleaseJudgement, now: Date, facts: TWorldFacts): TStep {
  const stage = release.stages[release.currentStageIndex]!;
  const enteredAt = stage.enteredAt!;
  const { analysis } = judged;
  const previous = release.current;
  const breached = new Set(previous?.breachedThisStage ?? []);
  for (const gate of analysis.gates) if (gate.verdict === 'fail' || gate.verdict === 'warn') breached.add(gate.key);
  const breachedThisStage = [...breached];
  const { json, fingerprint } = serialise(analysis, breachedThisStage, judged);
  const stored: TStoredAnalysis = { ...analysis, breachedThisStage, carry: judged.carry, fingerprint };
  const gates = gateStatuses(analysis);
  const decision = decideAutomation({ release: { ...release.snapshot, ...facts }, policy: release.spec.automation, gates, breachedThisStage, now });
  const previousAt = previous ? new Date(previous.evaluatedAt) : null;
  const overdue = maxBakeExceeded({ key: stage.key, name: stage.name, enteredAt, maxBakeSeconds: release.spec.stages[stage.position]?.maxBakeSeconds }, previousAt, now);
  const changes = [...verdictChanges(previous, analysis), ...(overdue ? [overdue] : [])];
  const bakeEnd = enteredAt.getTime() + stage.minBakeSeconds * 1000;
  const previouslyAt = previousAt?.getTime() ?? enteredAt.getTime();
  const bakeJustEnded = previouslyAt < bakeEnd && bakeEnd <= now.getTime();
  // The previous evaluation's time decides whether the bake time "just" ended and whether a stage is newly
  // overdue: an evaluation that crosses either is stored even when its verdicts did not move.
  const write = previous?.fingerprint !== fingerprint || bakeJustEnded || overdue !== null;
  return { release, stored, json, evaluation: { analysis, decision, acted: null, bakeJustEnded }, changes, write };
}

/**
 * One statement for every analysis that changed without anything to record. The analyses go as one JSON
 * document (built from their serialisations, not serialised again): an array parameter of thousands of
 * JSON texts costs far more to escape and to parse than the document does.
 */
async function writeAnalyses(db: Db, steps: readonly TStep[], now: Date): Promise<void> {
  if (steps.length === 0) return;
  const rows = `[${steps.map((s) => `{"id":${JSON.stringify(s.release.id)},"analysis":${s.json}}`).join(',')}]`;
  // As Prisma's @updatedAt would on a model update: the process's own time.
  const updatedAt = new Date();
  await db.$executeRaw`
    UPDATE "Release" AS r SET analysis = v.analysis, "analyzedAt" = ${now}, "updatedAt" = ${updatedAt}
    FROM jsonb_to_recordset(${rows}::jsonb) AS v(id uuid, analysis jsonb)
    WHERE r.id = v.id`;
}

/** Records the step's events and action under the revision the step read; the action taken, if any. */
async function record(db: Db, step: TStep, now: Date): Promise<string | null> {
  const { release, stored, changes } = step;
  const { analysis, decision } = step.evaluation;
  const full = await loadRelease(db, release.id);
  // Someone changed the release since it was judged: the next step judges it again.
  if (full.row.revision !== release.revision) return null;
  const gates = gateStatuses(analysis);
  return inTransaction(db, async (tx) => {
    let after = full.snapshot;
    const events = [...changes];
    let action: string | null = null;
    if (decision.kind === 'act') {
      const outcome = decideAction(full.snapshot, { action: decision.action, reason: decision.reason }, { now, gates });
      if (outcome.ok) {
        after = outcome.release;
        const evidence = analysis.gates.filter((g) => decision.gates.includes(g.key));
        events.push(...outcome.events.map((e) => ({ ...e, data: { ...e.data, automatic: true, evidence } })));
        action = decision.action;
      }
    }
    // The revision read above: if a person acted since, this write is refused and the next step judges again.
    await persistChange(tx, full, after, { actor: AUTOPILOT, events, at: now, expectedRevision: release.revision });
    await tx.release.update({ where: { id: release.id }, data: { analysis: stored as unknown as Prisma.InputJsonValue, analyzedAt: now } });
    return action;
  }).catch((error: unknown) => {
    if (error instanceof ServiceError && error.kind === 'stale_revision') return null;
    throw error;
  });
}

/** Judges the releases, all at the clock's `now`, and acts on each; one outcome per id, in order. */
export async function evaluateReleases(deps: TEvaluateDeps, ids: readonly string[]): Promise<TEvaluationOutcome[]> {
  const { db, clock, memory } = deps;
  const now = clock.now();
  const releases = (await loadJudgedReleases(db, ids, memory?.releases)).filter(
    (r) => (r.snapshot.state === 'running' || r.snapshot.state === 'paused') && r.startedAt && r.stages[r.currentStageIndex]?.enteredAt,
  );
  const judged = await judgeReleases(db, releases, now, memory?.bins);
  const factsOf = await worldFacts(db, releases.map((r) => r.id));
  const outcomes = new Map<string, TEvaluationOutcome>();
  const quiet: TStep[] = [];
  const eventful: TStep[] = [];
  releases.forEach((release, i) => {
    const step = stepOf(release, judged[i]!, now, factsOf(release.id));
    if (step.changes.length === 0 && step.evaluation.decision.kind === 'hold') {
      if (step.write) quiet.push(step);
      outcomes.set(release.id, { releaseId: release.id, evaluation: step.evaluation });
    } else eventful.push(step);
  });
  await writeAnalyses(db, quiet, now);
  // The rows now hold these analyses: kept as the next pass would read them back (JSON has no undefined nor
  // Infinity), so that it reads none of them.
  for (const step of quiet) {
    const kept = memory?.releases.get(step.release.id);
    if (kept) kept.stored = { at: now.getTime(), analysis: JSON.parse(step.json) as TStoredAnalysis };
  }
  for (const step of eventful) {
    // Written in a transaction that may not commit: read back at the next pass.
    const kept = memory?.releases.get(step.release.id);
    if (kept) kept.stored = undefined;
    try {
      const acted = await record(db, step, now);
      outcomes.set(step.release.id, { releaseId: step.release.id, evaluation: { ...step.evaluation, acted } });
    } catch (error) {
      outcomes.set(step.release.id, { releaseId: step.release.id, error });
    }
  }
  return ids.map((id) => outcomes.get(id) ?? { releaseId: id, evaluation: null });
}

/** One release's step (tests, and a release judged alone). */
export async function evaluateRelease(deps: TEvaluateDeps, releaseId: string): Promise<TEvaluation | null> {
  const [outcome] = await evaluateReleases(deps, [releaseId]);
  if (outcome?.error !== undefined) throw outcome.error;
  return outcome?.evaluation ?? null;
}
