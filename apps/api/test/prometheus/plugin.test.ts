// The app runs the poller when asked to (server.ts does), takes the 'prometheus' lease, and gives it up on close.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase } from '../support/database.js';

describe('the Prometheus poller in the app', () => {
  it('starts with prometheusIntervalMs, holds the lease, and releases it on close', async () => {
    const database = await createTestDatabase();
    try {
      const app = await buildApp({ db: database.prisma, clock: new ManualClock(), settings: loadConfig({ RAMPART_DEMO: '0' }), prometheusIntervalMs: 100 });
      expect(app.prometheus).not.toBeNull();
      await app.prometheus!.tick();
      expect(app.prometheus!.isLeader()).toBe(true);
      const lease = await database.prisma.lease.findUnique({ where: { name: 'prometheus' } });
      expect(lease?.holder).toBe(app.prometheus!.instanceId);
      await app.close();
      expect(await database.prisma.lease.findUnique({ where: { name: 'prometheus' } })).toBeNull();

      const without = await buildApp({ db: database.prisma, clock: new ManualClock(), settings: loadConfig({ RAMPART_DEMO: '0' }) });
      expect(without.prometheus).toBeNull();
      await without.close();
    } finally {
      await database.drop();
    }
  });
});
