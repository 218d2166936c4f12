import type { TPlaybook, TPlaybookSpec } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { Prisma } from '../../generated/prisma/client.js';
import { ServiceError, notFound, uniqueViolationOf } from '../../errors.js';
import type { TServiceContext } from '../context.js';

interface TPlaybookRow {
  id: string;
  key: string;
  name: string;
  description: string;
  builtIn: boolean;
  version: number;
  spec: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export function toPlaybook(row: TPlaybookRow): TPlaybook {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    builtIn: row.builtIn,
    version: row.version,
    spec: ZPlaybookSpec.parse(row.spec),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPlaybookSummary(row: TPlaybookRow) {
  const { spec, ...rest } = toPlaybook(row);
  return {
    ...rest,
    stages: spec.stages.map((s) => ({ key: s.key, name: s.name, trafficPercent: s.trafficPercent })),
    gateCount: spec.gates.length,
    checklistItemCount: spec.checklist.reduce((n, section) => n + section.items.length, 0),
  };
}

export async function listPlaybooks(ctx: Pick<TServiceContext, 'db'>) {
  const rows = await ctx.db.playbook.findMany({ orderBy: [{ builtIn: 'desc' }, { name: 'asc' }] });
  return rows.map(toPlaybookSummary);
}

export async function getPlaybook(ctx: Pick<TServiceContext, 'db'>, id: string) {
  const row = await ctx.db.playbook.findUnique({ where: { id } });
  if (!row) throw notFound('Playbook');
  return toPlaybook(row);
}

const asJson = (spec: TPlaybookSpec) => spec as unknown as Prisma.InputJsonValue;

export async function createPlaybook(
  ctx: TServiceContext,
  input: { key: string; name: string; description: string; spec: TPlaybookSpec },
) {
  const taken = () => new ServiceError('conflict', `A playbook with the key "${input.key}" exists already`, { field: 'body.key' });
  if (await ctx.db.playbook.findUnique({ where: { key: input.key } })) throw taken();
  try {
    const row = await ctx.db.playbook.create({
      data: { ...input, spec: asJson(input.spec), createdById: ctx.actor.userId },
    });
    return toPlaybook(row);
  } catch (error) {
    // A concurrent create of the same key got past the check above; the unique index decides.
    if (uniqueViolationOf(error)) throw taken();
    throw error;
  }
}

/** Edits make a new version; releases keep the copy they were created from. */
export async function updatePlaybook(
  ctx: TServiceContext,
  id: string,
  input: { expectedVersion: number; name?: string | undefined; description?: string | undefined; spec?: TPlaybookSpec | undefined },
) {
  const updated = await ctx.db.playbook.updateMany({
    where: { id, version: input.expectedVersion },
    data: {
      name: input.name,
      description: input.description,
      ...(input.spec ? { spec: asJson(input.spec) } : {}),
      version: { increment: 1 },
    },
  });
  if (updated.count === 0) {
    const exists = await ctx.db.playbook.findUnique({ where: { id } });
    if (!exists) throw notFound('Playbook');
    throw new ServiceError('stale_revision', `The playbook is at version ${exists.version}, not ${input.expectedVersion}; reload and try again`);
  }
  return getPlaybook(ctx, id);
}
