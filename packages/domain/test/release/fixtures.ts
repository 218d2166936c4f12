// Small builders for release snapshots and actors, shared by the release and auth tests.
import type { TApprovalRole, TChecklistStatus, TGateVerdict, TTokenScope, TUserRole } from '@rampart/contracts';
import type { TActor } from '../../src/auth/permissions.js';
import type {
  TApprovalSnapshot,
  TChecklistItemSnapshot,
  TGateStatus,
  TReleaseSnapshot,
  TStageSnapshot,
} from '../../src/release/snapshot.js';

export const T0 = new Date('2025-03-01T12:00:00.000Z');
export const OWNER = 'owner-1';
export const MINUTE = 60;
export const HOUR = 3600;

/** T0 plus a number of seconds. */
export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

/** staging 0% (no bake), canary 5% (30 min bake, engineering sign-off to enter), full 100% (1 h bake). */
export function buildStages(): TStageSnapshot[] {
  return [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0, signoff: [], enteredAt: null, exitedAt: null },
    {
      key: 'canary',
      name: 'Canary',
      trafficPercent: 5,
      minBakeSeconds: 30 * MINUTE,
      signoff: [{ role: 'engineering', count: 1 }],
      enteredAt: null,
      exitedAt: null,
    },
    { key: 'full', name: 'Full', trafficPercent: 100, minBakeSeconds: HOUR, signoff: [], enteredAt: null, exitedAt: null },
  ];
}

/** Items with the owner role the API keeps beside the snapshot. */
export const CHECKLIST_OWNERS: Record<string, string> = {
  backup: 'infrastructure',
  'release-notes': 'release_owner',
  'canary-dashboard': 'engineering',
  announce: 'product',
};

export function buildChecklist(): TChecklistItemSnapshot[] {
  return [
    { key: 'backup', text: 'Database backup taken', phase: 'before_start', stageKey: null, required: true, status: 'open' },
    { key: 'release-notes', text: 'Release notes written', phase: 'before_start', stageKey: null, required: false, status: 'open' },
    { key: 'canary-dashboard', text: 'Canary dashboard checked', phase: 'stage', stageKey: 'canary', required: true, status: 'open' },
    { key: 'announce', text: 'Announce the release', phase: 'after_completion', stageKey: null, required: true, status: 'open' },
  ];
}

/** A fresh draft: the before-start item is open and the product sign-off is missing. */
export function buildRelease(overrides: Partial<TReleaseSnapshot> = {}): TReleaseSnapshot {
  return {
    state: 'draft',
    ownerId: OWNER,
    currentStageIndex: -1,
    desiredPercent: 0,
    acknowledgedPercent: 0,
    stages: buildStages(),
    checklist: buildChecklist(),
    approvalsBeforeStart: [{ role: 'product', count: 1 }],
    approvals: [],
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

export function approval(
  role: TApprovalRole,
  stageKey: string | null,
  decision: 'approve' | 'reject' = 'approve',
  userId = `${role}-approver`,
): TApprovalSnapshot {
  return { role, stageKey, decision, userId };
}

export function withItem(release: TReleaseSnapshot, key: string, status: TChecklistStatus): TReleaseSnapshot {
  if (!release.checklist.some((i) => i.key === key)) throw new Error(`no item ${key}`);
  return { ...release, checklist: release.checklist.map((i) => (i.key === key ? { ...i, status } : i)) };
}

export function item(release: TReleaseSnapshot, key: string): TChecklistItemSnapshot {
  const found = release.checklist.find((i) => i.key === key);
  if (!found) throw new Error(`no item ${key}`);
  return found;
}

/** Every start blocker cleared, state "ready". */
export function readyRelease(overrides: Partial<TReleaseSnapshot> = {}): TReleaseSnapshot {
  const base = withItem(buildRelease(), 'backup', 'done');
  return { ...base, state: 'ready', approvals: [approval('product', null)], ...overrides };
}

/**
 * Running at a stage entered at `enteredAt`: earlier stages entered and exited, every approval given,
 * before-start and stage items done, the tooling caught up (acknowledged = desired).
 */
export function runningRelease(
  stageIndex: number,
  enteredAt: Date = T0,
  overrides: Partial<TReleaseSnapshot> = {},
): TReleaseSnapshot {
  const stages = buildStages().map((stage, i) => {
    if (i < stageIndex) return { ...stage, enteredAt: at(-(stageIndex - i) * 2 * HOUR), exitedAt: at(-(stageIndex - i - 1) * 2 * HOUR) };
    if (i === stageIndex) return { ...stage, enteredAt };
    return stage;
  });
  const percent = stages[stageIndex]?.trafficPercent ?? 0;
  const checklist = buildChecklist().map((i) => (i.phase === 'after_completion' ? i : { ...i, status: 'done' as const }));
  return buildRelease({
    state: 'running',
    currentStageIndex: stageIndex,
    desiredPercent: percent,
    acknowledgedPercent: percent,
    stages,
    checklist,
    approvals: [approval('product', null), approval('engineering', 'canary')],
    startedAt: stages[0]?.enteredAt ?? enteredAt,
    ...overrides,
  });
}

export function gate(verdict: TGateVerdict, key = `gate-${verdict}`): TGateStatus {
  return { key, name: `Gate ${key}`, severity: 'pause', verdict };
}

export function actor(overrides: Partial<TActor> = {}): TActor {
  return { kind: 'user', userId: 'user-1', name: 'user-1@example.com', role: 'approver', approvalRoles: [], ...overrides };
}

export function tokenOf(role: TUserRole, scopes: readonly TTokenScope[]): TActor {
  return actor({ kind: 'token', name: 'ci-token', role, scopes });
}
