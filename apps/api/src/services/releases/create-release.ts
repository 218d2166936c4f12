import type { TCreateReleaseBody } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import { reconcileReadiness } from '@rampart/domain';
import type { Prisma } from '../../generated/prisma/client.js';
import { forbidden, invalidBody } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { recordEvents } from './persist-change.js';
import { loadRelease } from './release-record.js';
import { inTransaction } from './transaction.js';

/** Creates a draft release from a copy of its playbook, so later playbook edits never reach it. */
export async function createRelease(ctx: TServiceContext, input: TCreateReleaseBody) {
  const ownerId = ctx.actor.userId;
  if (!ownerId) throw forbidden('A release needs a person as its owner');
  const playbook = await ctx.db.playbook.findUnique({ where: { id: input.playbookId } });
  if (!playbook) throw invalidBody('playbookId', 'no playbook has this id');
  const spec = ZPlaybookSpec.parse(playbook.spec);
  const now = ctx.clock.now();

  return inTransaction(ctx.db, async (tx) => {
    const { id } = await tx.release.create({
      data: {
        service: input.service,
        version: input.version,
        notes: input.notes ?? '',
        ownerId,
        playbookId: playbook.id,
        playbookKey: playbook.key,
        playbookName: playbook.name,
        playbookVersion: playbook.version,
        playbookSpec: spec as unknown as Prisma.InputJsonValue,
        createdAt: now,
        stages: {
          create: spec.stages.map((stage, position) => ({
            position,
            key: stage.key,
            name: stage.name,
            trafficPercent: stage.trafficPercent,
            minBakeSeconds: stage.minBakeSeconds,
          })),
        },
        checklist: {
          create: spec.checklist.flatMap((section) => section.items.map((item) => ({ section: section.title, item }))).map(
            ({ section, item }, position) => ({
              key: item.key,
              position,
              section,
              text: item.text,
              phase: item.phase,
              stageKey: item.stageKey ?? null,
              required: item.required,
              ownerRole: item.ownerRole,
            }),
          ),
        },
      },
      select: { id: true },
    });
    // Read back one relation at a time (see loadRelease): an include here would overlap queries on the transaction.
    const created = await loadRelease(tx, id);
    const row = created.row;
    const readiness = reconcileReadiness(created.snapshot);
    if (readiness.release.state !== row.state) {
      await tx.release.update({ where: { id: row.id }, data: { state: readiness.release.state } });
    }
    await recordEvents(
      tx,
      row.id,
      row.revision,
      ctx.actor,
      [
        {
          type: 'release.created',
          data: { service: row.service, version: row.version, playbook: playbook.key, playbookVersion: playbook.version },
        },
        ...readiness.events,
      ],
      now,
    );
    return row.id;
  });
}
