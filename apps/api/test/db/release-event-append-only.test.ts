import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';

describe('ReleaseEvent is append-only (trigger in the init migration)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function releaseWithEvents() {
    const { prisma } = db;
    const owner = await prisma.user.create({
      data: { email: `owner-${crypto.randomUUID()}@example.test`, name: 'Owner', passwordHash: 'x', role: 'release_owner' },
    });
    const release = await prisma.release.create({
      data: {
        service: 'checkout',
        version: '1.2.3',
        ownerId: owner.id,
        playbookKey: 'standard',
        playbookName: 'Standard',
        playbookVersion: 1,
        playbookSpec: {},
      },
    });
    await prisma.releaseEvent.createMany({
      data: [
        { releaseId: release.id, type: 'created', actorName: owner.email, revision: 1 },
        { releaseId: release.id, type: 'started', actorName: owner.email, revision: 2 },
      ],
    });
    return release;
  }

  it('accepts inserts and refuses an UPDATE', async () => {
    const release = await releaseWithEvents();
    await expect(db.prisma.releaseEvent.updateMany({ where: { releaseId: release.id }, data: { type: 'tampered' } })).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    const raw = db.prisma.$executeRaw`UPDATE "ReleaseEvent" SET "reason" = 'x' WHERE "releaseId" = ${release.id}::uuid`;
    await expect(raw).rejects.toThrow(/append-only/);
    expect((await db.prisma.releaseEvent.findMany({ where: { releaseId: release.id } })).map((e) => e.type).sort()).toEqual([
      'created',
      'started',
    ]);
  });

  it('refuses a DELETE of events', async () => {
    const release = await releaseWithEvents();
    await expect(db.prisma.releaseEvent.deleteMany({ where: { releaseId: release.id } })).rejects.toThrow(/append-only: DELETE refused/);
    expect(await db.prisma.releaseEvent.count({ where: { releaseId: release.id } })).toBe(2);
  });

  it('lets the events go with their release (ON DELETE CASCADE)', async () => {
    const release = await releaseWithEvents();
    await db.prisma.release.delete({ where: { id: release.id } });
    expect(await db.prisma.releaseEvent.count({ where: { releaseId: release.id } })).toBe(0);
  });
});
