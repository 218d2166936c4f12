import type { TFreeze } from '@rampart/contracts';
import type { Freeze } from '../../generated/prisma/client.js';

export function toFreezeDto(row: Freeze): TFreeze {
  return {
    id: row.id,
    reason: row.reason,
    startedBy: row.startedByName,
    startedAt: row.startedAt.toISOString(),
    endedBy: row.endedByName,
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}
