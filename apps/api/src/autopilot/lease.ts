// Exactly one instance runs the autopilot: it holds a lease row it renews; another instance takes the
// lease over once it has expired. Expiry is judged on the database's clock, so instances' clocks may differ.
import type { Db } from '../db/prisma.js';

export class Lease {
  constructor(
    private readonly db: Db,
    readonly name: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  /** Takes or renews the lease; true while this instance holds it. */
  async acquire(): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ holder: string }[]>`
      INSERT INTO "Lease" (name, holder, "expiresAt")
      VALUES (${this.name}, ${this.holder}, now() + make_interval(secs => ${this.ttlMs / 1000}))
      ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "expiresAt" = EXCLUDED."expiresAt"
        WHERE "Lease".holder = EXCLUDED.holder OR "Lease"."expiresAt" < now()
      RETURNING holder`;
    return rows[0]?.holder === this.holder;
  }

  /** Gives the lease up at shutdown, so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    await this.db.$executeRaw`DELETE FROM "Lease" WHERE name = ${this.name} AND holder = ${this.holder}`;
  }
}
