import type { TPage } from '@rampart/contracts';
import type { Page } from '../../generated/prisma/client.js';

export type TPageRow = Pick<
  Page,
  'id' | 'releaseId' | 'incidentId' | 'reason' | 'contactRole' | 'contactName' | 'level' | 'pagedAt' | 'acknowledgedAt' | 'acknowledgedByName' | 'escalatedAt'
>;

export function pageView(row: TPageRow): TPage {
  return {
    id: row.id,
    releaseId: row.releaseId,
    incidentId: row.incidentId,
    reason: row.reason,
    contactRole: row.contactRole,
    contactName: row.contactName,
    level: row.level,
    pagedAt: row.pagedAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedByName,
    escalatedAt: row.escalatedAt?.toISOString() ?? null,
  };
}
