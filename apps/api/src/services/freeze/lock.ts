import type { Tx } from '../../db/prisma.js';

/**
 * Serialises declaring and ending freezes for the rest of the transaction: with no unique row to collide on,
 * two admins declaring at once would otherwise both find none in force and both declare one.
 */
export async function lockFreezes(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('rampart.freeze'))`;
}
