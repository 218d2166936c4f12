import { ScaledClock } from '../clock.js';
import type { Db } from './prisma.js';

/**
 * A fast clock that never runs backwards across restarts: it resumes from the latest time already
 * written (a faster clock runs ahead of the wall clock), so bake timers continue where they were.
 */
export async function scaledClock(db: Db, scale: number): Promise<ScaledClock> {
  const [latest] = await db.$queryRaw<{ at: Date | null }[]>`SELECT max("createdAt") AS at FROM "ReleaseEvent"`;
  const origin = Math.max(Date.now(), latest?.at?.getTime() ?? 0);
  return new ScaledClock(scale, new Date(origin));
}
