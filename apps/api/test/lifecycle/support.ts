import type { TPlaybookSpecInput, TRelease } from '@rampart/contracts';
import { expect } from 'vitest';
import type { TClient, TTestApp } from '../support/test-app.js';

/** Staging, a 5% canary, and everyone with a one-hour watch; a rollback procedure of two required steps. */
export const LIFECYCLE_SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600 },
    { key: 'full', name: 'Full rollout', trafficPercent: 100, minBakeSeconds: 3600 },
  ],
  checklist: [
    {
      title: 'Rollback procedure',
      items: [
        { key: 'previous-image', text: 'Previous image redeployed', phase: 'on_rollback', required: true, ownerRole: 'infrastructure' },
        { key: 'db-restore', text: 'Database restored from the pre-release snapshot', phase: 'on_rollback', required: true, ownerRole: 'infrastructure' },
        { key: 'verify', text: 'Smoke tests pass on the previous version', phase: 'on_rollback', required: false },
      ],
    },
  ],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};

export async function createPlaybook(t: TTestApp, key: string, spec: TPlaybookSpecInput): Promise<string> {
  const response = await (await t.as('admin')).post('/api/playbooks', { key, name: key, spec });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

export async function createRelease(t: TTestApp, playbookId: string, service: string): Promise<TRelease> {
  const response = await (await t.as('owner')).post('/api/releases', { service, version: '1.0.0', playbookId });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function act(client: TClient, release: TRelease, action: string, extra: Record<string, unknown> = {}) {
  return client.post(`/api/releases/${release.id}/actions/${action}`, { expectedRevision: release.revision, ...extra });
}

/** Acts and expects it to go through; the release after it. */
export async function acted(client: TClient, release: TRelease, action: string, extra: Record<string, unknown> = {}): Promise<TRelease> {
  const response = await act(client, release, action, extra);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export function itemId(release: TRelease, key: string): string {
  const item = release.checklist.find((i) => i.key === key);
  if (!item) throw new Error(`no item ${key}`);
  return item.id;
}

export async function eventTypes(client: TClient, releaseId: string): Promise<string[]> {
  const events = (await client.get(`/api/releases/${releaseId}/events?limit=200`)).json().events as { type: string }[];
  return events.map((e) => e.type).reverse();
}

/** The tooling applies the desired percent, the owner rolls back, the tooling applies 0%: rolled back for good. */
export async function rollBack(client: TClient, release: TRelease, reason: string): Promise<TRelease> {
  expect((await client.post(`/api/releases/${release.id}/traffic/ack`, { percent: release.desiredPercent })).statusCode).toBe(200);
  const current: TRelease = (await client.get(`/api/releases/${release.id}`)).json();
  await acted(client, current, 'rollback', { reason });
  expect((await client.post(`/api/releases/${release.id}/traffic/ack`, { percent: 0 })).statusCode).toBe(200);
  const after: TRelease = (await client.get(`/api/releases/${release.id}`)).json();
  expect(after.state).toBe('rolled_back');
  return after;
}
