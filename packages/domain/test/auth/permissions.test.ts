import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TOKEN_SCOPES, USER_ROLES } from '@rampart/contracts';
import type { TTokenScope } from '@rampart/contracts';
import { PERMISSIONS, can, permissionsOf } from '../../src/index.js';
import type { TPermission } from '../../src/index.js';
import { actor, tokenOf } from '../release/fixtures.js';

const sorted = (set: Set<TPermission>) => [...set].sort();

describe('role permissions', () => {
  it('grants each role its permissions', () => {
    expect(sorted(permissionsOf(actor({ role: 'admin' })))).toEqual([...PERMISSIONS].sort());
    expect(sorted(permissionsOf(actor({ role: 'release_owner' })))).toEqual(
      ['checklist:update', 'incident:report', 'metrics:write', 'release:act', 'release:create', 'release:force', 'release:read', 'self', 'token:manage', 'traffic:ack'].sort(),
    );
    expect(sorted(permissionsOf(actor({ role: 'approver' })))).toEqual(['approval:sign', 'checklist:update', 'incident:report', 'release:read', 'self', 'token:manage'].sort());
    expect(sorted(permissionsOf(actor({ role: 'viewer' })))).toEqual(['incident:report', 'release:read', 'self', 'token:manage'].sort());
  });

  it('keeps the sensitive permissions where they belong', () => {
    expect(can(actor({ role: 'release_owner' }), 'approval:sign')).toBe(false);
    expect(can(actor({ role: 'release_owner' }), 'playbook:write')).toBe(false);
    expect(can(actor({ role: 'approver' }), 'release:act')).toBe(false);
    expect(can(actor({ role: 'viewer' }), 'checklist:update')).toBe(false);
    for (const role of USER_ROLES) expect(can(actor({ role }), 'admin')).toBe(role === 'admin');
  });

  it('every actor has self, users and tokens alike, even a token with no scopes', () => {
    for (const role of USER_ROLES) {
      expect(can(actor({ role }), 'self')).toBe(true);
      expect(can(tokenOf(role, []), 'self')).toBe(true);
      expect(sorted(permissionsOf(tokenOf(role, [])))).toEqual(['self']);
    }
    expect(can(actor({ kind: 'system', userId: null, name: 'autopilot', role: 'release_owner' }), 'self')).toBe(true);
  });

  it('lets people manage tokens, but no token unless it has the admin scope', () => {
    const everyScopeButAdmin = ['releases:read', 'releases:write', 'metrics:write', 'traffic:ack', 'playbooks:write'] as const;
    for (const role of USER_ROLES) {
      expect(can(actor({ role }), 'token:manage')).toBe(true);
      expect(can(tokenOf(role, [...everyScopeButAdmin]), 'token:manage')).toBe(false);
      expect(can(tokenOf(role, ['admin']), 'token:manage')).toBe(true);
    }
  });
});

describe('token scopes', () => {
  it('narrow the owner role to the scopes', () => {
    expect(sorted(permissionsOf(tokenOf('release_owner', ['releases:read'])))).toEqual(['release:read', 'self']);
    expect(sorted(permissionsOf(tokenOf('release_owner', ['releases:write'])))).toEqual(
      ['checklist:update', 'release:act', 'release:create', 'release:read', 'self'].sort(),
    );
    expect(sorted(permissionsOf(tokenOf('admin', ['traffic:ack', 'metrics:write'])))).toEqual(['metrics:write', 'self', 'traffic:ack']);
    expect(can(tokenOf('release_owner', ['releases:write']), 'release:force')).toBe(false);
  });

  it('never widen: the admin scope on a viewer token gives a viewer', () => {
    expect(sorted(permissionsOf(tokenOf('viewer', ['admin'])))).toEqual(['incident:report', 'release:read', 'self', 'token:manage']);
    expect(can(tokenOf('approver', ['admin', 'playbooks:write']), 'playbook:write')).toBe(false);
    expect(can(tokenOf('viewer', ['traffic:ack']), 'traffic:ack')).toBe(false);
  });

  it('for every role and set of scopes: a subset of the role, containing self, monotone in the scopes', () => {
    const scopes = fc.subarray([...TOKEN_SCOPES]);
    fc.assert(
      fc.property(fc.record({ role: fc.constantFrom(...USER_ROLES), scopes, more: scopes }), ({ role, scopes, more }) => {
        const user = permissionsOf(actor({ role }));
        const token = permissionsOf(tokenOf(role, scopes));
        const wider = permissionsOf(tokenOf(role, [...new Set<TTokenScope>([...scopes, ...more])]));
        expect(token.has('self')).toBe(true);
        for (const p of token) expect(user.has(p)).toBe(true);
        for (const p of token) expect(wider.has(p)).toBe(true);
        for (const p of PERMISSIONS) expect(can(tokenOf(role, scopes), p)).toBe(token.has(p));
      }),
      { numRuns: 300 },
    );
  });
});
