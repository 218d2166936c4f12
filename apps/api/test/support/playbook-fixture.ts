import type { TPlaybookSpecInput } from '@rampart/contracts';
import type { TTestApp } from './test-app.js';

/** A small playbook whose every rule a lifecycle test can reach in a few steps. */
export const TEST_PLAYBOOK_SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 1800, signoff: [{ role: 'engineering' }] },
    { key: 'full', name: 'Full', trafficPercent: 100, minBakeSeconds: 3600 },
  ],
  approvalsBeforeStart: [{ role: 'product' }, { role: 'security' }],
  checklist: [
    {
      title: 'Before',
      items: [{ key: 'tests-pass', text: 'All tests passing', phase: 'before_start', required: true }],
    },
    {
      title: 'Canary',
      items: [
        { key: 'smoke-canary', text: 'Smoke tests on the canary', phase: 'stage', stageKey: 'canary', ownerRole: 'engineering' },
      ],
    },
    {
      title: 'After',
      items: [{ key: 'announce', text: 'Announce the release', phase: 'after_completion', required: false }],
    },
  ],
  messages: [
    { key: 'progress', kind: 'progress', audience: 'internal', title: 'Progress', body: '{{service}} {{version}}: {{state}} at {{stage}} ({{percent}}%) & counting' },
  ],
};

export async function createTestPlaybook(t: TTestApp, key = 'test-flow'): Promise<string> {
  const admin = await t.as('admin');
  const response = await admin.post('/api/playbooks', { key, name: 'Test flow', spec: TEST_PLAYBOOK_SPEC });
  if (response.statusCode !== 201) throw new Error(`creating the test playbook failed: ${response.body}`);
  return response.json().id as string;
}

export async function createTestRelease(t: TTestApp, playbookId: string, service = 'checkout') {
  const owner = await t.as('owner');
  const response = await owner.post('/api/releases', { service, version: '1.2.3', playbookId, notes: 'Faster checkout' });
  if (response.statusCode !== 201) throw new Error(`creating a release failed: ${response.body}`);
  return response.json() as { id: string; revision: number; checklist: { id: string; key: string }[] };
}
