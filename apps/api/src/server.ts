// Starts Rampart: configuration, the database (embedded when no DATABASE_URL), migrations, first data,
// then the HTTP server; shuts down gracefully on a signal.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { systemClock } from './clock.js';
import { scaledClock } from './db/scaled-clock.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/open-database.js';
import { findWebRoot } from './plugins/spa.js';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers, seedFirstAdmin } from './services/bootstrap/seed-users.js';
import { seedBuiltInPlaybooks } from './services/bootstrap/seed-playbooks.js';
import { loopbackUrl, runDemoInBackground } from './demo/demo.js';
import { demoRequestFilter } from './demo/quiet-requests.js';
import { loggerOptions, wantsPrettyLogs } from './logger.js';
import { browserUrl, startBanner } from './start-banner.js';

const startedAt = performance.now();
/** How long requests in flight at a shutdown may take before their connections are cut. */
const IN_FLIGHT_GRACE_MS = 3000;

function readConfig() {
  try {
    return { ...loadConfig(), prettyLogs: wantsPrettyLogs() };
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
const logger = loggerOptions(config.logLevel, config.prettyLogs);
const simulatorRequests = demoRequestFilter();
// The simulator's own calls stay out of the request log unless LOG_LEVEL asks for debug detail.
const simulatorRequestsLogged = ['debug', 'trace'].includes(config.logLevel);

const database = await openDatabase(config);
// With DATABASE_URL, live updates fan out between instances through LISTEN/NOTIFY on that database.
const clock = config.timeScale === 1 ? systemClock : await scaledClock(database.db, config.timeScale);
const app = await buildApp({
  db: database.db,
  clock,
  settings: config,
  logger,
  disableRequestLogging: (request) => !simulatorRequestsLogged && simulatorRequests.isSimulatorRequest(request),
  live: { listenUrl: config.databaseUrl },
  autopilotIntervalMs: config.autopilotIntervalMs,
  webRoot: findWebRoot(),
  // Releases with a Prometheus source are read as often as the autopilot judges (each at most once per its step).
  prometheusIntervalMs: config.autopilotIntervalMs,
});
const log = app.log;
log.info({ database: database.description, migrationsApplied: database.migrationsApplied }, 'database ready');

const seededPlaybooks = await seedBuiltInPlaybooks(database.db);
if (seededPlaybooks.length > 0) log.info({ playbooks: seededPlaybooks }, 'built-in playbooks added');
if (config.demo) {
  await seedDemoUsers(database.db);
  // With readable logs the start banner lists them instead.
  if (!config.prettyLogs) {
    log.info(
      { users: DEMO_USERS.map((u) => `${u.email} (${u.role}${u.approvalRoles.length ? `: ${u.approvalRoles.join(', ')}` : ''})`) },
      `demo mode: every demo user's password is "${DEMO_PASSWORD}"`,
    );
  }
}
if (config.admin && (await seedFirstAdmin(database.db, config.admin))) {
  log.info({ email: config.admin.email }, 'first admin created from RAMPART_ADMIN_EMAIL');
}

let demo: { stop(): Promise<void> } | null = null;
// Every wait on the way out is cut short (in-flight fetches aborted, sockets cut after a second's
// goodbye), so a stop takes seconds even on a loaded machine; 25 s stays inside Kubernetes' default
// 30 s grace period, so a stop that does hang exits with its own log line, not a SIGKILL.
closeWithGrace({ delay: 25_000, logger: { error: (message: string) => log.error(message) } }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'shutting down after an error');
  else log.info({ signal }, 'shutting down');
  const began = performance.now();
  const step = async (what: string, work: () => Promise<void>) => {
    await work();
    log.info({ step: what, ms: Math.round(performance.now() - began) }, 'shutdown step done');
  };
  await step('demo simulator', async () => demo?.stop());
  await step('http server and background work', async () => {
    // server.close() waits for every connection, and Node ends one that never sends a request (a browser's
    // speculative preconnect, a client aborted mid-connect) only at its headers timeout, up to a minute
    // later: requests in flight get a few seconds to finish, then whatever is left is cut.
    const cut = setTimeout(() => app.server.closeAllConnections(), IN_FLIGHT_GRACE_MS);
    try {
      await app.close();
    } finally {
      clearTimeout(cut);
    }
  });
  await step('database', () => database.close());
});

await app.listen({ port: config.port, host: config.host });
const startupMs = Math.round(performance.now() - startedAt);
log.info({ startupMs, url: config.publicUrl }, 'Rampart is up');
if (config.prettyLogs) {
  // An explicit RAMPART_PUBLIC_URL is where people reach it; otherwise the address it actually listens on.
  const url = process.env.RAMPART_PUBLIC_URL ? config.publicUrl : browserUrl(app.server.address(), config.publicUrl);
  process.stdout.write(
    startBanner({
      url,
      startupMs,
      demo: config.demo ? { users: DEMO_USERS, password: DEMO_PASSWORD, simulator: config.demoSimulator } : null,
      adminEmail: config.admin?.email ?? null,
    }),
  );
}
if (config.demoSimulator) {
  // The demo release's metrics arrive through the HTTP API like any pipeline's, on the server's own address.
  demo = runDemoInBackground({
    db: database.db,
    clock: app.clock,
    timeScale: config.timeScale,
    baseUrl: loopbackUrl(app.server.address()),
    logger: log.child({ module: 'simulator' }),
    requestFilter: simulatorRequests,
  });
}
