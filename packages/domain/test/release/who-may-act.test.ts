import { describe, expect, it } from 'vitest';
import { RELEASE_ACTIONS, RELEASE_STATES } from '@rampart/contracts';
import type { TReleaseAction } from '@rampart/contracts';
import type { TActor } from '../../src/index.js';
import { ACTION_SOURCES, intentHolds, isIntent, whyNotYours } from '../../src/index.js';

const OWNER_ID = 'owner-1';
const person = (userId: string, role: TActor['role'] = 'release_owner'): TActor => ({ kind: 'user', userId, name: `${userId}@example.com`, role, approvalRoles: [] });

describe('who may act on whose release', () => {
  it('lets any release owner pause and roll back, and only the owner or an admin do the rest or force', () => {
    const other = person('someone-else');
    const allowed = RELEASE_ACTIONS.filter((action: TReleaseAction) => whyNotYours(other, action, OWNER_ID, false) === null);
    expect(allowed.sort()).toEqual(['pause', 'rollback']);
    for (const action of RELEASE_ACTIONS) {
      expect(whyNotYours(person(OWNER_ID), action, OWNER_ID, true)).toBeNull();
      expect(whyNotYours(person('an-admin', 'admin'), action, OWNER_ID, true)).toBeNull();
      expect(whyNotYours(other, action, OWNER_ID, true)).toMatch(/owner or an admin/);
    }
  });
});

describe('emergency intents', () => {
  it('are pause, resume and rollback, and hold exactly in the states their action leads to', () => {
    expect(RELEASE_ACTIONS.filter(isIntent).sort()).toEqual(['pause', 'resume', 'rollback']);
    // An intent is either possible (a legal source state) or already held, never both.
    for (const action of RELEASE_ACTIONS.filter(isIntent)) {
      for (const state of RELEASE_STATES) {
        expect(intentHolds(action, state) && ACTION_SOURCES[action].includes(state)).toBe(false);
      }
    }
    expect(intentHolds('pause', 'paused')).toBe(true);
    expect(intentHolds('rollback', 'rolled_back')).toBe(true);
    expect(intentHolds('resume', 'running')).toBe(true);
    expect(intentHolds('pause', 'rolling_back')).toBe(false);
  });
});
