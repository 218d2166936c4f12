import type { TApprovalDecision, TApprovalRole } from '@rampart/contracts';
import { checkSignoff, reconcileReadiness } from '@rampart/domain';
import type { TServiceContext } from '../context.js';
import { forbidden } from '../../errors.js';
import { getRelease } from './get-release.js';
import { persistChange } from './persist-change.js';
import { loadRelease } from './release-record.js';
import { signoffError, staleRevision } from './refusals.js';
import { inTransaction } from './transaction.js';

export interface TApprovalInput {
  role: TApprovalRole;
  decision: TApprovalDecision;
  comment?: string | undefined;
  stage?: string | undefined;
  expectedRevision?: number | undefined;
}

/** Records a sign-off or a rejection; the same person's earlier decision for the same role and stage is superseded. */
export async function recordApproval(ctx: TServiceContext, releaseId: string, input: TApprovalInput) {
  const userId = ctx.actor.userId;
  if (!userId) throw forbidden('Only a person signs off');
  const stageKey = input.stage ?? null;
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    const record = await loadRelease(tx, releaseId);
    if (input.expectedRevision !== undefined && record.row.revision !== input.expectedRevision) {
      throw staleRevision(releaseId, input.expectedRevision);
    }
    const refusal = checkSignoff(record.snapshot, ctx.actor, { role: input.role, decision: input.decision, stageKey });
    if (refusal) throw signoffError(refusal, releaseId);

    const mine = { releaseId, userId, role: input.role, stageKey };
    await tx.approval.updateMany({ where: { ...mine, supersededAt: null }, data: { supersededAt: now } });
    await tx.approval.create({ data: { ...mine, decision: input.decision, comment: input.comment ?? '', createdAt: now } });
    const others = record.snapshot.approvals.filter(
      (a) => !(a.userId === userId && a.role === input.role && a.stageKey === stageKey),
    );
    const changed = {
      ...record.snapshot,
      approvals: [...others, { role: input.role, stageKey, decision: input.decision, userId, comment: input.comment }],
    };
    const readiness = reconcileReadiness(changed);
    await persistChange(tx, record, readiness.release, {
      actor: ctx.actor,
      at: now,
      events: [
        {
          type: 'approval.recorded',
          reason: input.comment,
          data: { role: input.role, stage: stageKey, decision: input.decision },
        },
        ...readiness.events,
      ],
    });
  });
  return getRelease(ctx, releaseId);
}
