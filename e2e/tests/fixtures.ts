// Every spec imports `test` from here: it watches every browser context a test opens (the default one
// and each browser.newContext()) for Content-Security-Policy violations, and fails the test if any
// appeared. Chromium logs each blocked script, style, connection or frame to the console; an init
// script also reports `securitypolicyviolation` events there, for the ones it reports quietly.
import { test as base, expect } from '@playwright/test';
import type { BrowserContext } from '@playwright/test';

export { expect };

const CSP_MESSAGE = /Content Security Policy|CSP violation/i;

async function watch(context: BrowserContext, found: string[]): Promise<void> {
  context.on('console', (message) => {
    if (CSP_MESSAGE.test(message.text())) found.push(`${message.location().url}: ${message.text()}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`),
    );
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ browser, context }, use) => {
      const found: string[] = [];
      await watch(context, found);
      // Tests open contexts of their own (one per signed-in user): watch those too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const created = await newContext(...args);
        await watch(created, found);
        return created;
      };
      try {
        await use(found);
      } finally {
        browser.newContext = newContext;
      }
      expect(found, 'Content-Security-Policy violations in the browser console').toEqual([]);
    },
    { auto: true },
  ],
});
