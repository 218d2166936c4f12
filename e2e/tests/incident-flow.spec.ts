// Support, signed in with the viewer role, reports a security problem on a running release whose playbook
// answers security findings with a rollback: the release page shows it rolled back with the incident and its
// rollback procedure, and the public status page (signed out, on a phone) tells the public, without the
// report's private detail.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { shot, signIn, stateBadge } from './helpers';
import { ackTraffic, pipelineContext, pipelineToken } from './pipeline';

const PUBLIC_NOTE = 'We found a problem in the new version and moved everyone back to the previous one.';
const PRIVATE_DETAIL = 'Session tokens appear in the access log of the canary (internal ticket SEC-4411).';

/** A playbook for this test alone: one canary stage, security findings roll back and page on-call, a two-step rollback procedure. */
async function createPlaybook(admin: Page, suffix: string): Promise<string> {
  const response = await admin.request.post('/api/playbooks', {
    data: {
      key: `security-rolls-back-${suffix}`,
      name: `Security rolls back ${suffix}`,
      description: 'e2e: a security finding rolls the release back and pages the on-call engineer',
      spec: {
        stages: [
          { key: 'canary', name: 'Canary 10%', trafficPercent: 10, minBakeSeconds: 3600 },
          { key: 'everyone', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
        ],
        checklist: [
          {
            title: 'Rollback procedure',
            items: [
              { key: 'previous-image', text: 'Redeploy the previous release image', phase: 'on_rollback' },
              { key: 'verify-previous', text: 'Verify the previous version serves all traffic', phase: 'on_rollback' },
            ],
          },
        ],
        messages: [
          {
            key: 'status-rollback',
            kind: 'rollback',
            audience: 'external',
            title: 'Storefront update undone',
            body: '{{service}} is back on its previous version while we fix a problem.',
          },
        ],
        incidentScale: 'SEV1-SEV4',
        incidentResponses: [{ kinds: ['security'], action: 'rollback', page: true }],
        contacts: [
          { role: 'On-call engineer', name: 'Dana Oncall', onCall: true },
          { role: 'Deployment lead', name: 'Lee Lead' },
        ],
      },
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** The owner's running release of that playbook. */
async function startRelease(owner: Page, service: string, playbookId: string): Promise<string> {
  const created = await owner.request.post('/api/releases', { data: { service, version: '3.2.0', playbookId } });
  expect(created.status(), await created.text()).toBe(201);
  const release = (await created.json()) as { id: string; revision: number };
  const started = await owner.request.post(`/api/releases/${release.id}/actions/start`, {
    data: { expectedRevision: release.revision, reason: 'e2e: start the canary' },
  });
  expect(started.status(), await started.text()).toBe(200);
  return release.id;
}

test('support reports a security problem, the release rolls back, the status page tells the public', async ({ browser, baseURL }, testInfo) => {
  const suffix = Date.now().toString(36);
  const service = `storefront-e2e-${suffix}`;

  const admin = await signIn(browser, 'admin');
  const playbookId = await createPlaybook(admin, suffix);
  await admin.context().close();
  const owner = await signIn(browser, 'owner');
  const releaseId = await startRelease(owner, service, playbookId);
  // The deploy tooling applies the canary's 10%.
  const pipeline = await pipelineContext(baseURL!, await pipelineToken(owner, `e2e-incident-${suffix}`));
  await ackTraffic(pipeline, releaseId, 10);

  // Support, on a phone, opens the running release: read-only for actions, but it may report a problem.
  const support = await signIn(browser, 'support');
  await support.setViewportSize({ width: 390, height: 844 });
  await support.goto(`/releases/${releaseId}`);
  await expect(stateBadge(support)).toContainText('Running');
  const incidents = support.getByRole('region', { name: 'Incidents' });
  await expect(incidents.getByText('No problem reported on this release.')).toBeVisible();

  await incidents.getByRole('button', { name: 'Report a problem' }).click();
  const dialog = support.getByRole('dialog', { name: 'Report a problem' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Kind')).toBeFocused();
  // A severity belongs to incidents only, from the playbook's own scale.
  await expect(dialog.getByLabel(/Severity/)).toHaveCount(0);
  await dialog.getByLabel('Kind').selectOption({ label: 'Incident' });
  await expect(dialog.getByLabel(/Severity/).locator('option')).toHaveText(['Choose a severity…', 'SEV1', 'SEV2', 'SEV3', 'SEV4']);
  await dialog.getByLabel('Kind').selectOption({ label: 'Security finding' });
  await expect(dialog.getByLabel(/Severity/)).toHaveCount(0);
  await dialog.getByLabel(/Title/).fill('Session tokens leak into logs');
  await dialog.getByLabel(/Detail/).fill(PRIVATE_DETAIL);
  await dialog.getByLabel(/Public note/).fill(PUBLIC_NOTE);
  // The API's refusal is shown in words beside the form, naming the field.
  await dialog.getByLabel(/Link/).fill('not a link');
  await dialog.getByRole('button', { name: 'Report', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('link');
  await expect(dialog.getByLabel(/Link/)).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel(/Link/).fill('https://tickets.example.com/SEC-4411');
  await shot(support, testInfo, '1-support-reports');
  await dialog.getByRole('button', { name: 'Report', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The playbook's response: the release rolls back, and the incident says what Rampart did.
  await expect(support.getByRole('status').filter({ hasText: 'Reported “Session tokens leak into logs”' })).toContainText('rolled the release back');
  await expect(stateBadge(support)).toContainText(/Rolling back|Rolled back/);
  const incident = support.getByTestId('incident').filter({ hasText: 'Session tokens leak into logs' });
  await expect(incident).toContainText('Security finding');
  await expect(incident).toContainText('Open');
  await expect(incident.getByTestId('incident-action')).toHaveText('Rolled the release back');
  await expect(incident).toContainText(PRIVATE_DETAIL);
  // The rollback procedure opens, first in the checklist, with its required steps counted.
  await expect(support.getByTestId('procedure-banner')).toContainText('procedure open: 2 required steps left');
  await expect(support.getByTestId(/^checklist-phase-/).first()).toHaveAttribute('data-testid', 'checklist-phase-on_rollback');
  await expect(support.getByTestId('events')).toContainText('Security finding reported');
  // The response pages the on-call contact; support, watching, acknowledges it.
  const people = support.getByRole('region', { name: 'People' });
  await expect(people.getByTestId('contacts')).toContainText('Deployment lead');
  const page = people.getByTestId('page').filter({ hasText: 'Dana Oncall' });
  await expect(page).toContainText('Waiting for acknowledgement');
  await shot(support, testInfo, '2-support-release-rolled-back');
  await page.getByRole('button', { name: /Acknowledge/ }).click();
  await expect(page).toContainText('Acknowledged');
  // Support names the handler and marks it mitigated.
  await incident.getByLabel('Handler').fill('Sam Security');
  await incident.getByRole('button', { name: /Save handler/ }).click();
  await expect(incident.getByText('Sam Security', { exact: true })).toBeVisible();
  await incident.getByRole('button', { name: /Mark mitigated/ }).click();
  await expect(incident).toContainText('Mitigated');
  await expect(incident.getByRole('button', { name: /Mark mitigated/ })).toHaveCount(0);

  // The owner's page shows the same, and the owner closes the first step of the procedure.
  await owner.goto(`/releases/${releaseId}`);
  await expect(stateBadge(owner)).toContainText(/Rolling back|Rolled back/);
  await owner.getByRole('button', { name: 'Mark done: Redeploy the previous release image' }).click();
  await expect(owner.getByTestId('procedure-banner')).toContainText('1 required step left');

  // The public status page, signed out, on a phone: the release rolling back or rolled back, the incident's
  // public note, and never its private detail.
  const publicPage = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await publicPage.goto('/status');
  const card = publicPage.getByTestId('status-release').filter({ hasText: service });
  await expect(card).toContainText(/Rolling back|Rolled back/);
  await expect(card).toContainText(PUBLIC_NOTE);
  await expect(card.getByTestId('status-message')).toContainText('Storefront update undone');
  await expect(card.getByTestId('status-message')).toContainText(`${service} is back on its previous version`);
  await expect(publicPage.getByText(PRIVATE_DETAIL)).toHaveCount(0);
  await expect(publicPage.getByTestId('rollup')).not.toContainText('All good');
  await shot(publicPage, testInfo, '3-status-page-public');

  // The deploy tooling applies the rollback (0%); after a fix the owner reopens at a smaller percentage, as a
  // new attempt linked to this one.
  await ackTraffic(pipeline, releaseId, 0);
  await expect(stateBadge(owner)).toContainText('Rolled back');
  await owner.getByRole('button', { name: 'Reopen at a smaller percentage…' }).click();
  const reopen = owner.getByRole('dialog', { name: 'Reopen at a smaller percentage?' });
  await expect(reopen.getByLabel(/First stage's traffic/)).toHaveValue('5');
  await reopen.getByLabel(/Version/).fill('3.2.1');
  await reopen.getByLabel(/What was fixed/).fill('Tokens are no longer written to the access log');
  await reopen.getByRole('button', { name: 'Reopen as a new attempt' }).click();
  await expect(owner.getByRole('heading', { level: 1, name: new RegExp(service) })).toContainText('3.2.1');
  // A fresh attempt: not started, with its own checklist and sign-offs (none, in this playbook).
  await expect(stateBadge(owner)).toContainText(/Draft|Ready to start/);
  await expect(owner.getByRole('button', { name: 'Start at 5%', exact: true })).toBeVisible();
  await shot(owner, testInfo, '4-owner-new-attempt');
  await owner.getByTestId('previous-attempt').click();
  await expect(owner).toHaveURL(new RegExp(`/releases/${releaseId}$`));
  await expect(owner.getByTestId('next-attempt')).toBeVisible();
  await pipeline.dispose();
});

test('an admin stops the line: every page says so and starts are blocked until it is lifted', async ({ browser }, testInfo) => {
  const admin = await signIn(browser, 'admin');
  const owner = await signIn(browser, 'owner');
  const created = await owner.request.post('/api/releases', {
    data: { service: `search-e2e-${Date.now().toString(36)}`, version: '1.0.0', playbookId: await createPlaybook(admin, `freeze-${Date.now().toString(36)}`) },
  });
  expect(created.status(), await created.text()).toBe(201);
  const releaseId = ((await created.json()) as { id: string }).id;
  try {
    await admin.getByRole('link', { name: 'Admin' }).click();
    const line = admin.getByRole('region', { name: 'Stop the line' });
    await line.getByLabel(/Reason/).fill('Payment provider incident: no changes until it is over');
    await line.getByRole('button', { name: 'Stop the line' }).click();
    await expect(admin.getByTestId('freeze-banner')).toContainText('Payment provider incident');
    await shot(admin, testInfo, 'admin-freeze');

    // The owner's page learns of it by polling (at most 15 s), and its start is blocked with the freeze named.
    await owner.goto(`/releases/${releaseId}`);
    await expect(owner.getByTestId('freeze-banner')).toContainText('Change freeze');
    await expect(owner.getByRole('button', { name: 'Start at 10%', exact: true })).toBeDisabled();
    await expect(owner.locator('#blockers-start')).toContainText(/freeze/i);
    await shot(owner, testInfo, 'owner-frozen');

    await line.getByRole('button', { name: 'Lift the freeze' }).click();
    await admin.getByRole('dialog', { name: 'Lift the freeze?' }).getByRole('button', { name: 'Lift the freeze' }).click();
    await expect(admin.getByTestId('freeze-banner')).toHaveCount(0);
    await expect(owner.getByTestId('freeze-banner')).toHaveCount(0, { timeout: 30_000 });
    await expect(owner.getByRole('button', { name: 'Start at 10%', exact: true })).toBeEnabled();
  } finally {
    // Never leave the shared server frozen for the tests after this one.
    await admin.request.post('/api/admin/freeze/end', { data: {} });
  }
});
