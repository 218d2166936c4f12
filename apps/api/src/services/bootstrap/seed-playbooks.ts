import { BUILT_IN_PLAYBOOKS } from '@rampart/domain';
import { ZPlaybookSpec } from '@rampart/contracts';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../../db/prisma.js';

/** Inserts the built-in playbooks that are missing. An admin's edits to a built-in one are kept across restarts. */
export async function seedBuiltInPlaybooks(db: Db): Promise<string[]> {
  const existing = new Set((await db.playbook.findMany({ select: { key: true } })).map((p) => p.key));
  const missing = BUILT_IN_PLAYBOOKS.filter((playbook) => !existing.has(playbook.key));
  if (missing.length > 0) {
    await db.playbook.createMany({
      data: missing.map((playbook) => ({
        key: playbook.key,
        name: playbook.name,
        description: playbook.description,
        builtIn: true,
        spec: ZPlaybookSpec.parse(playbook.spec) as unknown as Prisma.InputJsonValue,
      })),
      skipDuplicates: true,
    });
  }
  return missing.map((p) => p.key);
}
