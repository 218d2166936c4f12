// One autopilot step for one release: judge its current stage, record verdict changes, and act by its
// playbook's policy. Everything it needs is read from the database, so a restart loses nothing, and the
// write is conditional on the revision it read, so a person acting meanwhile wins and nothing is done twice.
import type { Prisma } from '../generated/prisma/client.js';
import type { TAnalysis, TGateVerdict } from '@rampart/contracts';
import type { TAutomationDecision, TDomainEvent } from '@rampart/domain';
import { decideAction, decideAutomation, gateStatuses, maxBakeExceeded } from '@rampart/domain';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import { ServiceError } from '../errors.js';
import { AUTOPILOT } from '../services/auth/actors.js';
import { judgeRelease } from '../services/judgement/judge-release.js';
import type { TStoredAnalysis } from '../services/judgement/stored-analysis.js';
import { currentAnalysis } from '../services/judgement/stored-analysis.js';
import { persistChange } from '../services/releases/persist-change.js';
import { loadRelease } from '../services/releases/release-record.js';
import { inTransaction } from '../services/releases/transaction.js';

export interface TEvaluation {
  analysis: TAnalysis;
  decision: TAutomationDecision;
  /** The action taken, if any (null when held or when someone else changed the release first). */
  acted: string | null;
  /** The stage's bake time ended since the previous evaluation: the release's blockers changed. */
  bakeJustEnded: boolean;
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

export async function evaluateRelease(deps: { db: Db; clock: Clock }, releaseId: string): Promise<TEvaluation | null> {
  const { db, clock } = deps;
  const now = clock.now();
  const record = await loadRelease(db, releaseId);
  const { row, spec, snapshot } = record;
  const stage = row.stages[row.currentStageIndex];
  if ((row.state !== 'running' && row.state !== 'paused') || !stage?.enteredAt || !row.startedAt) return null;

  const judged = await judgeRelease(db, record, now);
  if (!judged) return null;
  // Gates a failing Prometheus source feeds are inconclusive at once (judgeRelease), not when their window runs dry.
  const { analysis } = judged;
  const previous = currentAnalysis(record);
  const breached = new Set(previous?.breachedThisStage ?? []);
  for (const gate of analysis.gates) if (gate.verdict === 'fail' || gate.verdict === 'warn') breached.add(gate.key);
  const stored: TStoredAnalysis = { ...analysis, breachedThisStage: [...breached], carry: judged.carry };
  const gates = gateStatuses(analysis);
  const decision = decideAutomation({ release: snapshot, policy: spec.automation, gates, breachedThisStage: stored.breachedThisStage, now });
  const stageSpec = spec.stages[stage.position];
  const overdue = maxBakeExceeded(
    { key: stage.key, name: stage.name, enteredAt: stage.enteredAt, maxBakeSeconds: stageSpec?.maxBakeSeconds },
    previous ? new Date(previous.evaluatedAt) : null,
    now,
  );
  const changes = [...verdictChanges(previous, analysis), ...(overdue ? [overdue] : [])];

  const acted = await inTransaction(db, async (tx) => {
    const analysisColumns = { analysis: stored as unknown as Prisma.InputJsonValue, analyzedAt: now };
    if (changes.length === 0 && decision.kind === 'hold') {
      await tx.release.update({ where: { id: releaseId }, data: analysisColumns });
      return null;
    }
    let after = snapshot;
    const events = [...changes];
    let action: string | null = null;
    if (decision.kind === 'act') {
      const outcome = decideAction(snapshot, { action: decision.action, reason: decision.reason }, { now, gates });
      if (outcome.ok) {
        after = outcome.release;
        const evidence = analysis.gates.filter((g) => decision.gates.includes(g.key));
        events.push(...outcome.events.map((e) => ({ ...e, data: { ...e.data, automatic: true, evidence } })));
        action = decision.action;
      }
    }
    // The revision read above: if a person acted since, this write is refused and the next step judges again.
    await persistChange(tx, record, after, { actor: AUTOPILOT, events, at: now, expectedRevision: row.revision });
    await tx.release.update({ where: { id: releaseId }, data: analysisColumns });
    return action;
  }).catch((error: unknown) => {
    if (error instanceof ServiceError && error.kind === 'stale_revision') return null;
    throw error;
  });
  const bakeEnd = stage.enteredAt.getTime() + stage.minBakeSeconds * 1000;
  const previouslyAt = previous ? Date.parse(previous.evaluatedAt) : stage.enteredAt.getTime();
  const bakeJustEnded = previouslyAt < bakeEnd && bakeEnd <= now.getTime();
  return { analysis, decision, acted, bakeJustEnded };
}
