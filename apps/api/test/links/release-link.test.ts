// A sent message's {{releaseUrl}} is the release on the instance that shows it, filled when the status page
// is read rather than kept in module state: two apps in one process, with different public URLs, each
// link to themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookSpecInput, TRelease, TStatusPage } from '@rampart/contracts';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { RELEASE_LINK_MARK } from '../../src/services/messages/link-base.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 0 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  messages: [{ key: 'announce', kind: 'announcement', audience: 'external', title: 'Deployment', body: 'Rolling out {{service}}. Follow along: {{releaseUrl}}' }],
};

let first: TTestApp;
let second: TTestApp;

beforeAll(async () => {
  first = await startTestApp({ env: { RAMPART_PUBLIC_URL: 'https://first.example.com' } });
  // Built last: a link base kept in module state would now point every app here.
  second = await startTestApp({ env: { RAMPART_PUBLIC_URL: 'https://second.example.com/' } });
});
afterAll(async () => {
  await first?.close();
  await second?.close();
});

async function startedRelease(t: TTestApp): Promise<TRelease> {
  const playbook = await (await t.as('admin')).post('/api/playbooks', { key: 'links', name: 'Links', spec: SPEC });
  expect(playbook.statusCode, playbook.body).toBe(201);
  const created = await (await t.as('owner')).post('/api/releases', { service: 'checkout', version: '2.0.0', playbookId: playbook.json().id });
  expect(created.statusCode, created.body).toBe(201);
  const release: TRelease = created.json();
  const started = await (await t.as('owner')).post(`/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision });
  expect(started.statusCode, started.body).toBe(200);
  return started.json();
}

async function shownText(t: TTestApp, releaseId: string): Promise<string> {
  let text: string | undefined;
  await until('the status page to show the announcement', async () => {
    const page = (await t.anonymous.get('/api/status')).json() as TStatusPage;
    text = page.active.find((r) => r.id === releaseId)?.message?.text;
    return text !== undefined;
  }, 15_000);
  return text!;
}

describe('the link in a sent message', () => {
  it('points at the instance that shows it', async () => {
    const [a, b] = await Promise.all([startedRelease(first), startedRelease(second)]);
    expect(await shownText(first, a.id)).toBe(`Rolling out checkout. Follow along: https://first.example.com/releases/${a.id}`);
    expect(await shownText(second, b.id)).toBe(`Rolling out checkout. Follow along: https://second.example.com/releases/${b.id}`);
  });

  it('is stored as a mark, so the row does not depend on where it was sent from', async () => {
    const rows = await first.db.sentMessage.findMany({ where: { templateKey: 'announce' }, select: { text: true } });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.text).toBe(`Rolling out checkout. Follow along: ${RELEASE_LINK_MARK}`);
  });
});
