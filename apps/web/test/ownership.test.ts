import { describe, expect, it } from 'vitest';
import type { TActionAvailability, TMe } from '@rampart/contracts';
import { withOwnership } from '../src/lib/ownership';

const OWNER = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const release = { owner: { id: OWNER, name: 'Olga Owner', email: 'owner@rampart.test' } };
const person = (id: string, role: TMe['role']): TMe => ({ id, email: `${role}@rampart.test`, name: role, role, approvalRoles: [], via: 'session' });
const ready = (action: TActionAvailability['action']): TActionAvailability => ({ action, legal: true, allowed: true, forceable: true, reason: null, blockers: [] });

describe('withOwnership', () => {
  it("leaves the owner's and an admin's actions as the server sent them", () => {
    expect(withOwnership(ready('ramp'), release, person(OWNER, 'release_owner'))).toEqual(ready('ramp'));
    expect(withOwnership(ready('complete'), release, person(OTHER, 'admin'))).toEqual(ready('complete'));
  });

  it("lets another owner pause or roll back, and disables the rest with the server's reason", () => {
    const other = person(OTHER, 'release_owner');
    expect(withOwnership(ready('pause'), release, other)).toEqual(ready('pause'));
    expect(withOwnership(ready('rollback'), release, other)).toEqual(ready('rollback'));
    const ramp = withOwnership(ready('ramp'), release, other);
    expect(ramp).toMatchObject({ allowed: false, forceable: false, blockers: [] });
    expect(ramp.reason).toMatch(/Only the release's owner or an admin can ramp this release; anyone may pause or roll it back/);
  });
});
