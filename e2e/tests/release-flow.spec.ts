// An owner creates a release, approvers in their own browsers sign off, the owner starts it, and every
// open page (another owner's, support's status page) follows without a reload.
import { expect, test } from './fixtures';
import { shot, signIn, stateBadge } from './helpers';

test('a release from creation to rollback, followed live by every open page', async ({ browser }, testInfo) => {
  const service = `checkout-e2e-${Date.now().toString(36)}`;

  // Support's status page, without login, stays open the whole time.
  const support = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await support.goto('/status');
  await expect(support.getByTestId('rollup')).toBeVisible();
  await shot(support, testInfo, 'status-before');

  // The owner creates the release.
  const owner = await signIn(browser, 'owner');
  await shot(owner, testInfo, 'releases');
  await owner.getByRole('link', { name: 'New release' }).click();
  // The list has a "Service" filter too: wait for the form before filling it.
  await expect(owner.getByRole('heading', { name: 'New release', level: 1 })).toBeVisible();
  await owner.getByLabel('Service').fill(service);
  await owner.getByLabel('Version').fill('2.1.0');
  const playbook = await owner.getByRole('combobox', { name: 'Playbook' }).locator('option', { hasText: 'Prescription & orders canary' }).getAttribute('value');
  await owner.getByRole('combobox', { name: 'Playbook' }).selectOption(playbook!);
  await expect(owner.getByRole('heading', { name: 'Stages' })).toBeVisible();
  await shot(owner, testInfo, 'new-release');
  await owner.getByRole('button', { name: 'Create release' }).click();
  await expect(owner.getByRole('heading', { level: 1, name: new RegExp(service) })).toBeVisible();
  await expect(stateBadge(owner)).toContainText('Draft');
  const releaseUrl = owner.url();

  // The start is blocked, with the reasons spelled out; the owner cannot sign off their own release.
  await expect(owner.getByRole('button', { name: 'Start at 0%', exact: true })).toBeDisabled();
  await expect(owner.getByText('Starting the release needs 1 more product sign-off')).toBeVisible();
  await expect(owner.getByRole('button', { name: /Sign off as/ })).toHaveCount(0);

  // Approvers sign off, each in their own browser context.
  for (const [who, role] of [
    ['product', 'Product'],
    ['security', 'Security'],
    ['infra', 'Infrastructure'],
  ] as const) {
    const approver = await signIn(browser, who);
    await expect(approver.getByTestId('needs-you')).toContainText(service);
    await approver.goto(releaseUrl);
    await approver.getByLabel(`Comment (${role})`).fill(`${role} checked it`);
    await approver.getByRole('button', { name: `Sign off as ${role}` }).click();
    await expect(approver.getByTestId(`approval-${role === 'Infrastructure' ? 'infrastructure' : role.toLowerCase()}`)).toContainText('Signed off');
    if (who === 'product') await shot(approver, testInfo, 'release-approver');
    await approver.context().close();
  }

  // The owner's page, never reloaded, shows the sign-offs as they land.
  for (const role of ['product', 'security', 'infrastructure']) {
    await expect(owner.getByTestId(`approval-${role}`)).toContainText('Signed off');
  }
  await expect(owner.getByText('Starting the release needs 1 more product sign-off')).toHaveCount(0);

  // The owner ticks a required item, then forces the start past the open ones with a reason.
  const firstItem = owner.getByTestId('checklist-item').first();
  await firstItem.getByRole('button', { name: /^Mark done/ }).click();
  await expect(firstItem).toContainText('done by Owen Owner');
  await owner.getByRole('button', { name: /Force start at 0%/ }).click();
  const dialog = owner.getByRole('dialog', { name: /Force: Start at 0%/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/Reason/)).toHaveAttribute('required', '');
  await expect(dialog.getByLabel(/Reason/)).toBeFocused();
  await dialog.getByLabel(/Reason/).fill('Checklist verified in the release meeting');
  await dialog.getByRole('button', { name: /Force start/ }).click();
  await expect(dialog).toBeHidden();
  await expect(stateBadge(owner)).toContainText('Running');
  await expect(owner.getByTestId('events')).toContainText('Started');
  await shot(owner, testInfo, 'release-running');

  // Support sees it without a reload.
  await expect(support.getByTestId('status-release').filter({ hasText: service })).toContainText('Running');
  await shot(support, testInfo, 'status-running');

  // A second owner (the admin) has the page open and starts to pause; the owner pauses first.
  const admin = await signIn(browser, 'admin');
  await admin.goto(releaseUrl);
  await expect(stateBadge(admin)).toContainText('Running');
  await admin.getByRole('button', { name: 'Pause', exact: true }).click();
  const adminDialog = admin.getByRole('dialog', { name: 'Pause?' });
  await expect(adminDialog).toBeVisible();

  await owner.getByRole('button', { name: 'Pause', exact: true }).click();
  await owner.getByRole('dialog', { name: 'Pause?' }).getByRole('button', { name: 'Pause' }).click();
  await expect(stateBadge(owner)).toContainText('Paused');

  // The admin's page follows (no reload); their now-stale confirmation gets the conflict.
  await expect(stateBadge(admin)).toContainText('Paused');
  await adminDialog.getByRole('button', { name: 'Pause' }).click();
  const conflict = admin.getByTestId('conflict');
  await expect(conflict).toContainText('Someone else acted first');
  await expect(conflict).toContainText('Running');
  await expect(conflict).toContainText('Paused');
  await shot(admin, testInfo, 'release-conflict');

  // The admin resumes; the owner's page follows without a reload.
  await admin.getByRole('button', { name: 'Resume', exact: true }).click();
  await admin.getByRole('dialog', { name: 'Resume?' }).getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(stateBadge(admin)).toContainText('Running');
  await expect(stateBadge(owner)).toContainText('Running');
  await expect(owner.getByTestId('events')).toContainText('Resumed');

  // The owner rolls back (a reason is required); support's page shows it without a reload.
  await owner.getByRole('button', { name: 'Roll back', exact: true }).click();
  const rollback = owner.getByRole('dialog', { name: 'Roll back?' });
  await rollback.getByLabel(/Reason/).fill('Error budget burning in the canary');
  await rollback.getByRole('button', { name: 'Roll back' }).click();
  await expect(stateBadge(owner)).toContainText(/Rolling back|Rolled back/);
  await expect(support.getByTestId('status-release').filter({ hasText: service })).toContainText(/Rolling back|Rolled back/);
  await shot(support, testInfo, 'status-rolling-back');
  await shot(owner, testInfo, 'release-rolling-back');
});

test('support reads the status page on a phone without signing in', async ({ browser }, testInfo) => {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto('/status');
  await expect(page.getByTestId('rollup')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'In progress' })).toBeVisible();
  await shot(page, testInfo, 'status-phone');
});

test('a signed-out visitor is sent to the login page and back', async ({ page }, testInfo) => {
  await page.goto('/playbooks');
  await expect(page).toHaveURL(/\/login\?next=%2Fplaybooks/);
  await shot(page, testInfo, 'login');
  await page.getByLabel('Email').fill('owner@rampart.test');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Password').fill('rampart');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Playbooks', level: 1 })).toBeVisible();
  await shot(page, testInfo, 'playbooks');
});
