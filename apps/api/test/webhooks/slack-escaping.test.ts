// What people type reaches Slack as text: a release's version and notes and an action's reason, sent to a
// real receiver on loopback in the Slack format, can neither ping a channel nor disguise a link, while
// the playbook template's own bold and link still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PLAYBOOK_SPEC } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { Receiver, createWebhook, emitEvents, startWebhookApp, until } from './support.js';

const HOSTILE = '<!channel> read the <https://evil.example/phish|Rollback guide>';
let t: TTestApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await startWebhookApp();
  receiver = await new Receiver().start(0);
});
afterAll(async () => {
  await receiver.stop();
  await t.close();
});

describe('Slack-format deliveries', () => {
  it('escape every user-supplied value, in the filled template and in the one-line summary', async () => {
    const admin = await t.as('admin');
    const playbook = await admin.post('/api/playbooks', {
      key: 'slack-escaping',
      name: 'Slack escaping',
      spec: {
        ...TEST_PLAYBOOK_SPEC,
        messages: [
          {
            key: 'rollback',
            kind: 'rollback',
            audience: 'internal',
            title: 'Rollback',
            body: '*{{service}} {{version}}* is rolling back: {{reason}}. Notes: {{notes}} Owner: {{owner}} <{{releaseUrl}}|Open the release>',
          },
        ],
      },
    });
    expect(playbook.statusCode, playbook.body).toBe(201);
    await createWebhook(t, { url: receiver.url, secret: 'slack-escaping-secret-0123', events: ['release.paused', 'release.rollback_started'], format: 'slack' });
    const owner = await t.as('owner');
    const ownerId = (await owner.get('/api/auth/me')).json().id as string;
    expect((await admin.patch(`/api/users/${ownerId}`, { name: 'Olivia <!subteam^S1>' })).statusCode).toBe(200);
    const created = await owner.post('/api/releases', { service: 'checkout', version: '2.0<!here>', playbookId: playbook.json().id, notes: `Fixes & ${HOSTILE}` });
    expect(created.statusCode, created.body).toBe(201);
    const releaseId = created.json().id as string;

    await emitEvents(t.db, releaseId, [{ type: 'release.paused', reason: HOSTILE, data: {} }]);
    await emitEvents(t.db, releaseId, [{ type: 'release.rollback_started', reason: HOSTILE, data: {} }]);
    await until('two Slack messages', () => receiver.received.length >= 2);
    const [summary, rollback] = receiver.received.map((r) => (JSON.parse(r.body) as { text: string }).text);

    const escaped = '&lt;!channel&gt; read the &lt;https://evil.example/phish|Rollback guide&gt;';
    expect(summary).toContain(`checkout 2.0&lt;!here&gt;: release.paused by autopilot: ${escaped}. Now draft at 0%.`);
    expect(rollback).toBe(
      `*checkout 2.0&lt;!here&gt;* is rolling back: ${escaped}. Notes: Fixes &amp; ${escaped} Owner: Olivia &lt;!subteam^S1&gt; <https://rampart.example.com/releases/${releaseId}|Open the release>`,
    );
    for (const text of [summary, rollback]) {
      expect(text).not.toContain('<!');
      expect(text).not.toContain('<https://evil');
    }
  });
});
