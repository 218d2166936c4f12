import { expect, type Browser, type Page, type TestInfo } from '@playwright/test';

export const PASSWORD = 'rampart';

/** A fresh browser context (its own cookies) signed in as one demo user. */
export async function signIn(browser: Browser, who: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A script error fails loudly in the report instead of leaving a blank page to time out on.
  page.on('pageerror', (error) => console.error(`[${who}] page error: ${error.stack ?? error.message}`));
  await page.goto('/login');
  await page.getByLabel('Email').fill(`${who}@rampart.test`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Releases', level: 1 })).toBeVisible();
  return page;
}

/** A full-page screenshot kept with the test's artifacts (e2e/test-results). */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

export function stateBadge(page: Page) {
  return page.getByTestId('release-state');
}
