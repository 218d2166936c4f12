// Browser tests against the real built app: the production server (apps/api/dist/server.js, which also
// serves the built dashboard) on a fresh embedded database in a temporary folder, in Debian's Chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Workers load this file again: pin the ports, data folders and clock speed in the environment they inherit.
process.env.E2E_API_PORT ??= String(31000 + Math.floor(Math.random() * 4000));
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
// A second server for the autopilot flow: its clock runs E2E_TIME_SCALE times faster (a 15-minute bake
// passes in seconds), without the demo simulator, so the test is the only one pushing metrics.
process.env.E2E_FAST_API_PORT ??= String(Number(process.env.E2E_API_PORT) + 1);
process.env.E2E_FAST_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'rampart-e2e-fast-'));
process.env.E2E_TIME_SCALE ??= '30';
const port = process.env.E2E_API_PORT;
const fastPort = process.env.E2E_FAST_API_PORT;
/** Point at an app that is already running (e.g. http://127.0.0.1:8181) instead of starting one. */
const externalApp = process.env.E2E_API_URL;
/** The same for the fast-clock app (started with RAMPART_TIME_SCALE=$E2E_TIME_SCALE RAMPART_SIMULATOR=0). */
const externalFastApp = process.env.E2E_FAST_API_URL;
const baseURL = externalApp ?? `http://127.0.0.1:${port}`;
const fastBaseURL = externalFastApp ?? `http://127.0.0.1:${fastPort}`;
const AUTOPILOT_SPEC = /autopilot-flow\.spec\.ts/;
/**
 * Playwright passes its own environment on to the servers: a DATABASE_URL there (CI sets one for the
 * unit tests) would put both servers on one shared database, where the wall-clock server's autopilot
 * would judge the fast server's releases. Each server keeps its own embedded database instead.
 */
const ownDatabase = { DATABASE_URL: '' };

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
  projects: [
    // The normal server, on the wall clock, with the demo simulator.
    { name: 'app', testIgnore: AUTOPILOT_SPEC, use: { baseURL } },
    // The fast-clock server, metrics pushed by the test itself.
    { name: 'autopilot', testMatch: AUTOPILOT_SPEC, use: { baseURL: fastBaseURL } },
  ],
  webServer: [
    ...(externalApp
      ? []
      : [
          {
            command: 'node ../apps/api/dist/server.js',
            url: `http://127.0.0.1:${port}/health`,
            env: { ...ownDatabase, PORT: port, HOST: '127.0.0.1', RAMPART_DEMO: '1', RAMPART_DATA_DIR: process.env.E2E_DATA_DIR, LOG_LEVEL: 'warn' },
            timeout: 120_000,
            reuseExistingServer: false,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
          },
        ]),
    ...(externalFastApp
      ? []
      : [
          {
            command: 'node ../apps/api/dist/server.js',
            url: `http://127.0.0.1:${fastPort}/health`,
            env: {
              ...ownDatabase,
              PORT: fastPort,
              HOST: '127.0.0.1',
              RAMPART_DEMO: '1',
              RAMPART_SIMULATOR: '0',
              RAMPART_TIME_SCALE: process.env.E2E_TIME_SCALE,
              RAMPART_DATA_DIR: process.env.E2E_FAST_DATA_DIR,
              LOG_LEVEL: 'warn',
            },
            timeout: 120_000,
            reuseExistingServer: false,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
          },
        ]),
  ],
});
