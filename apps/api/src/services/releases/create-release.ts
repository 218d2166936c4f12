import type { TCreateReleaseBody, TPlaybookSpec } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TActor, TDomainEvent } from '@rampart/domain';
import { reconcileReadiness } from '@rampart/domain';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../db/prisma.js';
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

  return inTransaction(ctx.db, (tx) =>
    insertRelease(tx, {
      actor: ctx.actor,
      ownerId,
      service: input.service,
      version: input.version,
      notes: input.notes ?? '',
      playbook: { id: playbook.id, key: playbook.key, name: playbook.name, version: playbook.version },
      spec,
      at: now,
      events: [],
    }),
  );
}

export interface TNewRelease {
  actor: TActor;
  ownerId: string;
  service: string;
  version: string;
  notes: string;
  playbook: { id: string | null; key: string; name: string; version: number };
  /** The release's own copy of its playbook. */
  spec: TPlaybookSpec;
  contacts?: Prisma.InputJsonValue | undefined;
  previousAttemptId?: string | undefined;
  at: Date;
  /** Recorded after release.created (a reopened attempt says where it comes from). */
  events: readonly TDomainEvent[];
}

/** Writes a draft with its stages and a fresh (open) checklist, and records its creation; the new id. */
export async function insertRelease(tx: Tx, input: TNewRelease): Promise<string> {
  const { spec, playbook } = input;
  const { id } = await tx.release.create({
    data: {
      service: input.service,
      version: input.version,
      notes: input.notes,
      ownerId: input.ownerId,
      playbookId: playbook.id,
      playbookKey: playbook.key,
      playbookName: playbook.name,
      playbookVersion: playbook.version,
      playbookSpec: spec as unknown as Prisma.InputJsonValue,
      ...(input.contacts === undefined ? {} : { contacts: input.contacts }),
      ...(input.previousAttemptId === undefined ? {} : { previousAttemptId: input.previousAttemptId }),
      createdAt: input.at,
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
    input.actor,
    [
      {
        type: 'release.created',
        data: { service: row.service, version: row.version, playbook: playbook.key, playbookVersion: playbook.version },
      },
      ...input.events,
      ...readiness.events,
    ],
    input.at,
  );
  return row.id;
}
