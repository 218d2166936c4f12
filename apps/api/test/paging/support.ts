import type { TContactSpec, TPlaybookSpecInput } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';
import { performAction } from '../../src/services/releases/perform-action.js';
import type { TTestApp, TUserName } from '../support/test-app.js';

export const CONTACTS: TContactSpec[] = [
  { role: 'Release owner', name: 'Olga Owner', email: 'olga@example.com', onCall: false },
  { role: 'On-call engineer', name: 'Ana Primary', email: 'ana@example.com', onCall: true },
  { role: 'Deployment lead', name: 'Ben Second', email: 'ben@example.com', onCall: true },
  { role: 'Operations lead', name: 'Cy Nomail', onCall: true },
];

export const ACKNOWLEDGE_WITHIN_SECONDS = 60;

export const PAGING_SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 600 },
  ],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
  contacts: CONTACTS,
  escalation: { acknowledgeWithinSeconds: ACKNOWLEDGE_WITHIN_SECONDS },
};

/** How the autopilot and incident responses act: Rampart itself, no person. */
export const RAMPART: TActor = { kind: 'system', userId: null, name: 'autopilot', role: 'admin', approvalRoles: [] };

export async function createPagingPlaybook(t: TTestApp, spec: TPlaybookSpecInput = PAGING_SPEC, key = 'paging'): Promise<string> {
  const response = await (await t.as('admin')).post('/api/playbooks', { key, name: 'Paging', spec });
  if (response.statusCode !== 201) throw new Error(`creating the playbook failed: ${response.body}`);
  return response.json().id as string;
}

/** A running release of the owner's. */
export async function startRelease(t: TTestApp, playbookId: string, service = 'checkout'): Promise<{ id: string; revision: number }> {
  const owner = await t.as('owner');
  const created = await owner.post('/api/releases', { service, version: '1.2.3', playbookId });
  if (created.statusCode !== 201) throw new Error(`creating a release failed: ${created.body}`);
  const release = created.json() as { id: string; revision: number };
  const started = await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision });
  if (started.statusCode !== 200) throw new Error(`starting the release failed: ${started.body}`);
  return started.json() as { id: string; revision: number };
}

/** Rolls the release back through the service path as the autopilot does: the event's actor is Rampart (null). */
export async function rollBackAutomatically(t: TTestApp, release: { id: string; revision: number }, reason = 'Error rate 4.1% is above 1%') {
  await performAction({ db: t.db, clock: t.clock, actor: RAMPART }, release.id, 'rollback', { expectedRevision: release.revision, reason });
}

export async function rollBackAs(t: TTestApp, user: TUserName, release: { id: string; revision: number }) {
  const response = await (await t.as(user)).post(`/api/releases/${release.id}/actions/rollback`, { expectedRevision: release.revision, reason: 'Looks wrong' });
  if (response.statusCode !== 200) throw new Error(`rollback failed: ${response.body}`);
}

export async function eventsOf(t: TTestApp, releaseId: string, types: string[]) {
  return t.db.releaseEvent.findMany({ where: { releaseId, type: { in: types } }, orderBy: { id: 'asc' } });
}
