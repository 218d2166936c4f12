// Browser tests against the real built app: the production server (apps/api/dist/server.js, which also
// serves the built dashboard) on a fresh embedded database in a temporary folder, in Debian's Chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Workers load this file again: pin the port and the data folder in the environment they inherit.
process.env.E2E_API_PORT ??= String(31000 + Math.floor(Math.random() * 4000));
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
const port = process.env.E2E_API_PORT;
/** Point at an app that is already running (e.g. http://127.0.0.1:8181) instead of starting one. */
const externalApp = process.env.E2E_API_URL;
const baseURL = externalApp ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  // No retries: a flaky browser test is a bug to fix, not to hide.
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    baseURL,
    reducedMotion: 'reduce',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  webServer: externalApp
    ? []
    : [
        {
          command: 'node ../apps/api/dist/server.js',
          url: `http://127.0.0.1:${port}/health`,
          env: { PORT: port, HOST: '127.0.0.1', RAMPART_DEMO: '1', RAMPART_DATA_DIR: process.env.E2E_DATA_DIR, LOG_LEVEL: 'warn' },
          timeout: 120_000,
          reuseExistingServer: false,
          stdout: 'ignore',
          stderr: 'pipe',
        },
      ],
});
