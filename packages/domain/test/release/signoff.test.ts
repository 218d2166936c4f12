import { describe, expect, it } from 'vitest';
import { CHECKLIST_PHASES } from '@rampart/contracts';
import { canUpdateChecklistItem, checkChecklistUpdate, checkSignoff } from '../../src/index.js';
import type { TReleaseSnapshot } from '../../src/index.js';
import { CHECKLIST_OWNERS, OWNER, actor, buildRelease, item, readyRelease, runningRelease } from './fixtures.js';

const product = actor({ userId: 'pat', approvalRoles: ['product'] });
const engineer = actor({ userId: 'eve', approvalRoles: ['engineering'] });
const approve = (stageKey: string | null, role: 'product' | 'engineering' | 'security' = 'product') =>
  ({ role, decision: 'approve', stageKey }) as const;

describe('checkSignoff', () => {
  it('accepts an asked-for sign-off from someone holding the role', () => {
    expect(checkSignoff(buildRelease(), product, approve(null))).toBeNull();
    expect(checkSignoff(readyRelease(), product, { ...approve(null), decision: 'reject' })).toBeNull();
    expect(checkSignoff(buildRelease(), engineer, approve('canary', 'engineering'))).toBeNull();
    expect(checkSignoff(runningRelease(0), engineer, approve('canary', 'engineering'))).toBeNull();
  });

  it('the owner cannot sign their own release, even holding the role', () => {
    const owner = actor({ userId: OWNER, role: 'release_owner', approvalRoles: ['product'] });
    expect(checkSignoff(buildRelease(), owner, approve(null))).toMatchObject({ kind: 'forbidden' });
  });

  it('the role must be held', () => {
    expect(checkSignoff(buildRelease(), engineer, approve(null))).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('product') });
    expect(checkSignoff(buildRelease(), actor({ role: 'admin', userId: 'root' }), approve(null))).toMatchObject({ kind: 'forbidden' });
  });

  it('before-start sign-offs close once the release starts', () => {
    for (const state of ['running', 'paused', 'rolling_back'] as const) {
      expect(checkSignoff(runningRelease(0, undefined, { state }), product, approve(null))).toMatchObject({ kind: 'conflict' });
    }
  });

  it('every sign-off closes once the release finishes', () => {
    for (const state of ['completed', 'rolled_back'] as const) {
      expect(checkSignoff(runningRelease(0, undefined, { state }), engineer, approve('canary', 'engineering'))).toMatchObject({ kind: 'conflict' });
    }
    expect(checkSignoff(buildRelease({ state: 'aborted' }), product, approve(null))).toMatchObject({ kind: 'conflict' });
  });

  it('a before-start sign-off must be one the playbook asks for', () => {
    const security = actor({ userId: 'sec', approvalRoles: ['security'] });
    expect(checkSignoff(buildRelease(), security, approve(null, 'security'))).toMatchObject({ kind: 'invalid', field: 'role' });
  });

  it('an unknown stage is not found', () => {
    expect(checkSignoff(buildRelease(), engineer, approve('moon', 'engineering'))).toMatchObject({ kind: 'not_found', field: 'stage' });
  });

  it('a stage already entered is closed', () => {
    expect(checkSignoff(runningRelease(1), engineer, approve('canary', 'engineering'))).toMatchObject({ kind: 'conflict' });
    expect(checkSignoff(runningRelease(2), engineer, approve('canary', 'engineering'))).toMatchObject({ kind: 'conflict' });
  });

  it('the stage must ask for that role', () => {
    expect(checkSignoff(buildRelease(), product, approve('canary', 'product'))).toMatchObject({ kind: 'invalid', field: 'role' });
    expect(checkSignoff(buildRelease(), engineer, approve('full', 'engineering'))).toMatchObject({ kind: 'invalid', field: 'role' });
  });
});

describe('checklist updates', () => {
  const release = buildRelease();
  const owned = (key: string) => ({ ...item(release, key), ownerRole: CHECKLIST_OWNERS[key] ?? 'release_owner' });

  it('admins and release owners tick anything', () => {
    for (const role of ['admin', 'release_owner'] as const) {
      for (const key of Object.keys(CHECKLIST_OWNERS)) expect(canUpdateChecklistItem(actor({ role }), owned(key))).toBe(true);
    }
  });

  it('an approver ticks only the items their approval role owns', () => {
    const infra = actor({ role: 'approver', approvalRoles: ['infrastructure'] });
    expect(canUpdateChecklistItem(infra, owned('backup'))).toBe(true);
    expect(canUpdateChecklistItem(infra, owned('announce'))).toBe(false);
    expect(canUpdateChecklistItem(infra, owned('release-notes'))).toBe(false);
    expect(canUpdateChecklistItem(actor({ role: 'approver', approvalRoles: [] }), owned('backup'))).toBe(false);
  });

  it('every item can change until the release finishes', () => {
    for (const r of [buildRelease(), readyRelease(), runningRelease(1), runningRelease(1, undefined, { state: 'rolling_back' })]) {
      for (const i of r.checklist) expect(checkChecklistUpdate(r, i)).toBeNull();
    }
  });

  it('after a release finishes only after-completion items change', () => {
    const finished: TReleaseSnapshot[] = [
      runningRelease(2, undefined, { state: 'completed' }),
      runningRelease(1, undefined, { state: 'rolled_back' }),
      buildRelease({ state: 'aborted' }),
    ];
    for (const r of finished) {
      const byPhase = Object.fromEntries(CHECKLIST_PHASES.map((phase) => [phase, r.checklist.find((i) => i.phase === phase)!]));
      expect(checkChecklistUpdate(r, byPhase.after_completion!)).toBeNull();
      expect(checkChecklistUpdate(r, byPhase.before_start!)).toMatchObject({ kind: 'conflict' });
      expect(checkChecklistUpdate(r, byPhase.stage!)).toMatchObject({ kind: 'conflict' });
    }
  });
});
