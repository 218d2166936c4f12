// An owner connects a release to Prometheus from the page (a wrong URL is refused with its field named,
// a right one is saved and its state shown) and ticks a whole checklist section at once.
import { expect, test } from './fixtures';
import { shot, signIn } from './helpers';

test('an owner sets a metrics source and marks a checklist section done', async ({ browser }, testInfo) => {
  const owner = await signIn(browser, 'owner');
  const { playbooks } = (await (await owner.request.get('/api/playbooks/')).json()) as { playbooks: { key: string; id: string }[] };
  const valine = playbooks.find((p) => p.key === 'valine-canary');
  expect(valine, 'the seeded valine-canary playbook (seed 004)').toBeTruthy();
  const created = await owner.request.post('/api/releases/', { data: { service: `valine-e2e-${Date.now().toString(36)}`, version: '4.0.0', playbookId: valine!.id } });
  expect(created.status()).toBe(201);
  const release = (await created.json()) as { id: string };
  await owner.goto(`/releases/${release.id}`);

  // Nothing to judge by yet, said plainly; the tooling has never reported back.
  await expect(owner.getByTestId('no-metrics')).toHaveText(/No metrics yet: connect a source or push points/);
  await expect(owner.getByTestId('acknowledged-at')).toHaveText('never');

  const source = owner.getByTestId('metrics-source');
  await source.getByText('Connect Prometheus').click();
  await source.getByLabel('Prometheus URL').fill('prometheus:9090');
  await source.getByRole('button', { name: 'Save source' }).click();
  await expect(source.getByRole('alert')).toContainText('url: must be the Prometheus base URL');

  await source.getByLabel('Prometheus URL').fill('http://prometheus.example.com:9090');
  await source.getByRole('group', { name: /^Requests/ }).getByLabel('Canary').fill('sum(increase(http_requests_total{service="{{service}}",cohort="{{cohort}}"}[{{step}}]))');
  await source.getByRole('button', { name: 'Save source' }).click();
  await expect(source.getByRole('status')).toContainText('Saved');
  await expect(owner.getByTestId('no-metrics')).toHaveCount(0);
  await expect(owner.getByTestId('metrics-source-state')).toHaveText(/Prometheus|polled/);

  // Saved on the server: a reload shows the source in the form.
  await owner.reload();
  await owner.getByTestId('metrics-source').getByText('Change the Prometheus source').click();
  await expect(owner.getByTestId('metrics-source').getByLabel('Prometheus URL')).toHaveValue('http://prometheus.example.com:9090');
  await owner.getByRole('button', { name: 'Test connection' }).click();
  await expect(owner.getByTestId('source-check')).toHaveText(/Prometheus|polled/);

  // A whole before-start section at once.
  const section = owner.getByTestId('checklist-section').filter({ has: owner.getByRole('button', { name: /Mark section done/ }) }).first();
  const title = (await section.locator('h3').textContent()) ?? '';
  const count = await section.getByTestId('checklist-item').count();
  expect(count).toBeGreaterThan(1);
  await section.getByRole('button', { name: /Mark section done/ }).click();
  const done = owner.getByTestId('checklist-section').filter({ has: owner.locator('h3', { hasText: title }) });
  await expect(done.getByRole('button', { name: /Mark section done/ })).toHaveCount(0);
  await expect(done.locator('.section-count')).toHaveText(`${count} of ${count} done or skipped`);
  const after = await (await owner.request.get(`/api/releases/${release.id}`)).json();
  const inSection = (after.checklist as { section: string; status: string }[]).filter((i) => i.section === title);
  expect(inSection.map((i) => i.status)).toEqual(Array(count).fill('done'));
  await shot(owner, testInfo, 'connect-and-checklist');
});
