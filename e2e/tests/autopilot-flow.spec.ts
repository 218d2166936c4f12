// Against the fast-clock server (project "autopilot" in playwright.config.ts): metrics pushed by the
// test as the deploy pipeline appear in the owner's charts live, the owner ramps once the bake has passed,
// a regression makes the autopilot roll back, and support's status page shows it, none of them reloaded.
import { expect, test } from './fixtures';
import { shot, signIn, stateBadge } from './helpers';
import { ackTraffic, pipelineContext, pipelineToken, serverClock, startPushing, type MetricsPusher } from './pipeline';

const SCALE = Number(process.env.E2E_TIME_SCALE ?? '30');
/** The engine's default initial delay of a stage (DEFAULT_INITIAL_DELAY_SECONDS in @rampart/domain). */
const DEFAULT_INITIAL_DELAY_SECONDS = 120;
// A sustained gate only sees a run as long as its window (sustain + one 10 s bin) if the latest window has
// arrived within one bin of the server's now: push often enough that the pipeline never lags a whole bin
// (at 30x, a bin is 333 ms of real time).
const PUSH_EVERY_MS = 100;

test('pushed metrics chart live, the owner ramps, a regression makes the autopilot roll back', async ({ browser, baseURL }, testInfo) => {
  const service = `payments-e2e-${Date.now().toString(36)}`;
  let pusher: MetricsPusher | undefined;
  // Real seconds for a span of the server's clock, with a floor for a loaded machine.
  const realMs = (serverSeconds: number, floorMs = 15_000) => Math.max(floorMs, (serverSeconds * 1000) / SCALE * 3);

  try {
    // Support's status page, on a phone, without login, stays open the whole time.
    const support = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await support.goto('/status');
    await expect(support.getByTestId('rollup')).toBeVisible();

    // The owner creates a release from the built-in "Production rollout" playbook.
    const owner = await signIn(browser, 'owner');
    await owner.getByRole('link', { name: 'New release' }).click();
    await expect(owner.getByRole('heading', { name: 'New release', level: 1 })).toBeVisible();
    await owner.getByLabel('Service').fill(service);
    await owner.getByLabel('Version').fill('4.0.0');
    const playbookSelect = owner.getByRole('combobox', { name: 'Playbook' });
    const playbook = await playbookSelect.locator('option', { hasText: 'Production rollout' }).getAttribute('value');
    await playbookSelect.selectOption(playbook!);
    await expect(owner.getByRole('heading', { name: 'Stages' })).toBeVisible();
    await owner.getByRole('button', { name: 'Create release' }).click();
    await expect(owner.getByRole('heading', { level: 1, name: new RegExp(service) })).toBeVisible();
    await expect(stateBadge(owner)).toContainText('Draft');
    const releaseId = new URL(owner.url()).pathname.split('/').pop()!;

    // Its before-start checklist is long: the owner forces the start with a reason.
    await expect(owner.getByRole('button', { name: 'Start at 10%', exact: true })).toBeDisabled();
    await owner.getByRole('button', { name: /Force start at 10%/ }).click();
    const startDialog = owner.getByRole('dialog', { name: /Force: Start at 10%/ });
    await startDialog.getByLabel(/Reason/).fill('Checklist run through in the change meeting');
    await startDialog.getByRole('button', { name: /Force start/ }).click();
    await expect(startDialog).toBeHidden();
    await expect(stateBadge(owner)).toContainText('Running');
    await expect(owner.getByTestId('desired-percent')).toHaveText('10%');

    // No metrics yet: every chart says so.
    const errorChart = owner.getByTestId('chart-error_rate');
    const latencyChart = owner.getByTestId('chart-latency_p95_ms');
    const requestsChart = owner.getByTestId('chart-requests');
    for (const chart of [errorChart, latencyChart, requestsChart]) await expect(chart.getByTestId('no-data')).toBeVisible();
    await shot(owner, testInfo, '1-owner-started-no-data');

    // The deploy pipeline: a token, the 10% applied, then healthy windows every ~250 ms.
    const pipeline = await pipelineContext(baseURL!, await pipelineToken(owner, `e2e-pipeline-${service}`));
    await ackTraffic(pipeline, releaseId, 10);
    await expect(owner.getByTestId('acknowledged-percent')).toHaveText('10%');
    pusher = startPushing(pipeline, releaseId, await serverClock(pipeline, SCALE), PUSH_EVERY_MS);

    // The charts fill in live, without a reload: the "no data" state goes and the lines are drawn.
    for (const chart of [errorChart, latencyChart, requestsChart]) {
      await expect(chart.getByTestId('no-data')).toHaveCount(0);
      // A flat line has an empty bounding box (not "visible" to Playwright): check the path has segments.
      await expect(chart.locator('path.recharts-line-curve[name="Canary"]')).toHaveAttribute('d', /^M[\d.-]+,[\d.-]+L/);
      await expect(chart.locator('path.recharts-line-curve[name="Baseline"]')).toHaveAttribute('d', /^M[\d.-]+,[\d.-]+L/);
    }
    await expect(support.getByTestId('status-release').filter({ hasText: service })).toContainText('Running');
    await shot(owner, testInfo, '2-owner-charts-live');
    await shot(support, testInfo, '3-status-running');

    // The new version is on 10% of instances: the owner ticks the stage's first item.
    await owner.getByRole('button', { name: 'Mark done: Deploy new version to 10% of instances' }).click();
    await expect(owner.getByTestId('checklist-item').filter({ hasText: 'Deploy new version to 10% of instances' })).toContainText('done by Owen Owner');
    const ramp = owner.getByRole('button', { name: 'Ramp to 100%', exact: true });
    await expect(ramp).toBeDisabled();

    // The 15-minute bake passes on the fast clock (the server is the judge of that: the page's countdown
    // runs on the browser's clock), then the owner ticks "Monitor error rates for 15 minutes".
    // Deliberately in this order: the page does not refresh the ramp's blockers when the bake ends on its
    // own (nothing is pushed, the release is not refetched while live), only when the release changes.
    await expect
      .poll(
        async () => {
          const response = await owner.request.get(`/api/releases/${releaseId}`);
          const { actions } = (await response.json()) as { actions: { action: string; blockers: { kind: string }[] }[] };
          return actions.find((a) => a.action === 'ramp')?.blockers.map((b) => b.kind) ?? ['no ramp'];
        },
        { message: 'the bake time has passed on the server', timeout: realMs(15 * 60 + 120, 45_000), intervals: [250] },
      )
      .not.toContain('bake_time');
    await owner.getByRole('button', { name: 'Mark done: Monitor error rates for 15 minutes' }).click();
    await expect(owner.getByTestId('checklist-item').filter({ hasText: 'Monitor error rates for 15 minutes' })).toContainText('done by Owen Owner');

    // Nothing blocks the ramp any more (the sequential "no increase" gate passes on these numbers).
    await expect(ramp).toBeEnabled({ timeout: realMs(120, 15_000) });
    await shot(owner, testInfo, '4-owner-ready-to-ramp');
    await ramp.click();
    const rampDialog = owner.getByRole('dialog', { name: 'Ramp to 100%?' });
    await rampDialog.getByRole('button', { name: 'Ramp to 100%' }).click();
    await expect(rampDialog).toBeHidden();
    await expect(owner.getByTestId('desired-percent')).toHaveText('100%');
    await expect(owner.getByTestId('events')).toContainText('Ramped');
    pusher.canaryPercent = 100;
    await ackTraffic(pipeline, releaseId, 100);
    await expect(owner.getByTestId('acknowledged-percent')).toHaveText('100%');
    await expect(stateBadge(owner)).toContainText('Running');
    await shot(owner, testInfo, '5-owner-ramped-100');

    // The 100% stage is judged after its initial delay (2 minutes of server clock, for the warm-up): the
    // regression starts once that is over, so the gate's own 5 minutes decide when it acts.
    const release = (await (await owner.request.get(`/api/releases/${releaseId}`)).json()) as { stages: { key: string; enteredAt: string | null }[] };
    const judgedFrom = Date.parse(release.stages.find((s) => s.key === 'full')!.enteredAt!) + (DEFAULT_INITIAL_DELAY_SECONDS + 10) * 1000;
    const live = pusher;
    await expect.poll(() => live.nextWindowAt, { timeout: realMs(DEFAULT_INITIAL_DELAY_SECONDS + 60, 30_000) }).toBeGreaterThan(judgedFrom);

    // A regression: 5% of the canary's requests fail. The autopilot rolls back once it has lasted the
    // gate's 5 minutes (server clock), and the pipeline keeps pushing meanwhile.
    const regressionFrom = pusher.nextWindowAt;
    pusher.health = 'regression';
    await expect(stateBadge(owner)).toContainText(/Rolling back|Rolled back/, { timeout: realMs(5 * 60 + 120, 30_000) });
    // Not before the window, as the server measured it: the evidence of the rollback says the breach held
    // for the gate's 5 minutes. The points are stamped by the test's estimate of the server clock (off by
    // some hundred real milliseconds, times 30: 8 s of server clock was seen), so from the test's side the
    // lower bound allows one real second of that error.
    type TEvent = { type: string; createdAt: string; data: { evidence?: { evidence: { breachedForSeconds: number | null } }[] } };
    const events = (await (await owner.request.get(`/api/releases/${releaseId}/events`)).json()) as { events: TEvent[] };
    const rollbackStarted = events.events.find((e) => e.type === 'release.rollback_started')!;
    expect(rollbackStarted.data.evidence?.[0]?.evidence.breachedForSeconds).toBeGreaterThanOrEqual(5 * 60);
    const afterSeconds = (Date.parse(rollbackStarted.createdAt) - regressionFrom) / 1000;
    console.log(`autopilot rolled back ${afterSeconds.toFixed(0)} s (server clock) after the regression began`);
    expect(afterSeconds).toBeGreaterThanOrEqual(5 * 60 - SCALE);
    expect(afterSeconds).toBeLessThanOrEqual(5 * 60 + 60);
    const rollbackEvent = owner.getByTestId('events').getByRole('listitem').filter({ hasText: 'Rollback started' });
    await expect(rollbackEvent).toContainText('autopilot');
    await expect(errorChart.getByText(/breach/)).toBeVisible();
    await shot(owner, testInfo, '6-owner-autopilot-rollback');

    // Support's status page shows it without a reload.
    const supportRow = support.getByTestId('status-release').filter({ hasText: service });
    await expect(supportRow).toContainText(/Rolling back|Rolled back/);
    await expect(support.getByTestId('rollup')).toContainText(/Rolling back|All good/);
    await shot(support, testInfo, '7-status-rolling-back');

    // The tooling takes traffic back to 0%: the rollback is done, on both pages.
    await pusher.stop();
    expect(pusher.failures, 'every push before the rollback was accepted').toEqual([]);
    await ackTraffic(pipeline, releaseId, 0);
    await expect(stateBadge(owner)).toContainText('Rolled back');
    await expect(owner.getByTestId('events')).toContainText('Rolled back: traffic at 0%');
    await expect(owner.getByTestId('acknowledged-percent')).toHaveText('0%');
    await expect(support.getByTestId('status-release').filter({ hasText: service })).toContainText('Rolled back');
    await shot(owner, testInfo, '8-owner-rolled-back');
    await shot(support, testInfo, '9-status-rolled-back');
    await pipeline.dispose();
  } finally {
    await pusher?.stop();
  }
});
