// Which release a controller means. An id names it exactly; a service name means its release in progress,
// so that a finished one (say, last week's rollback) never answers for the next deploy of the service.
import { ACTIVE_STATES, FLAGGER_METADATA, ZUuid } from '@rampart/contracts';
import type { TFlaggerPayload, TReleaseState } from '@rampart/contracts';
import type { Db } from '../../db/prisma.js';
import { ServiceError, invalidBody } from '../../errors.js';

const NOT_STARTED: readonly TReleaseState[] = ['draft', 'ready'];

/** The newest release in progress of the first of these services that has one: running, paused or rolling back before one not yet started. */
export async function releaseIdOfService(db: Db, services: readonly string[]): Promise<string | null> {
  for (const service of services) {
    for (const states of [ACTIVE_STATES, NOT_STARTED]) {
      const found = await db.release.findFirst({
        where: { service, state: { in: [...states] } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { id: true },
      });
      if (found) return found.id;
    }
  }
  return null;
}

export async function releaseIdOfServiceOrThrow(db: Db, service: string): Promise<string> {
  const id = await releaseIdOfService(db, [service]);
  if (!id) throw new ServiceError('not_found', `No release of ${service} is in progress`);
  return id;
}

/**
 * The release a Flagger canary stands for: metadata `rampartRelease` if set, else the release in progress of
 * the service `<name>.<namespace>`, else of the service `<name>`.
 */
export async function releaseIdOfCanary(db: Db, payload: TFlaggerPayload): Promise<string> {
  const named = payload.metadata?.[FLAGGER_METADATA.release];
  if (named !== undefined) {
    if (!ZUuid.safeParse(named).success) throw invalidBody(`metadata.${FLAGGER_METADATA.release}`, 'must be a release id (UUID)');
    const row = await db.release.findUnique({ where: { id: named }, select: { id: true } });
    if (!row) throw new ServiceError('not_found', `No release ${named}`);
    return row.id;
  }
  const canary = `${payload.name}.${payload.namespace}`;
  const id = await releaseIdOfService(db, [canary, payload.name]);
  if (!id) throw new ServiceError('not_found', `No release of ${canary} or ${payload.name} is in progress; name one with metadata ${FLAGGER_METADATA.release}`);
  return id;
}
