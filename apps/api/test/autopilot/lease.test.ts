import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease } from '../../src/autopilot/lease.js';
import type { TestDatabase } from '../support/database.js';
import { createTestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

describe('the autopilot lease', () => {
  it('is held by one instance at a time and taken over once its holder stops renewing it', async () => {
    const first = new Lease(database.prisma, 'autopilot-test', 'instance-a', 800);
    const second = new Lease(database.prisma, 'autopilot-test', 'instance-b', 800);
    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    expect(await first.acquire()).toBe(true);

    // instance-a dies: it renews no more. Within the lease time the other takes over.
    const deadline = Date.now() + 5000;
    let tookOver = false;
    while (!tookOver && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      tookOver = await second.acquire();
    }
    expect(tookOver).toBe(true);
    expect(await first.acquire()).toBe(false);
  });

  it('is given up at shutdown so the next instance need not wait', async () => {
    const first = new Lease(database.prisma, 'autopilot-release', 'instance-a', 60_000);
    const second = new Lease(database.prisma, 'autopilot-release', 'instance-b', 60_000);
    expect(await first.acquire()).toBe(true);
    await first.release();
    expect(await second.acquire()).toBe(true);
  });
});
