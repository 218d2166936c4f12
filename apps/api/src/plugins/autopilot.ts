import fp from 'fastify-plugin';
import type { TAutopilot } from '../autopilot/autopilot.js';
import { DEFAULT_NUDGE_DELAY_MS, startAutopilot } from '../autopilot/autopilot.js';
import { finiteAnalysis } from '../services/judgement/finite-analysis.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when this app runs no autopilot (most tests drive evaluations themselves). */
    autopilot: TAutopilot | null;
  }
}

export interface TAutopilotPluginOptions {
  /** Wall-clock milliseconds between passes; false runs no autopilot. */
  intervalMs: number | false;
}

export const autopilotPlugin = fp<TAutopilotPluginOptions>(
  async (app, options) => {
    if (options.intervalMs === false) {
      app.decorate('autopilot', null);
      return;
    }
    const pilot = startAutopilot({
      db: app.db,
      clock: app.clock,
      intervalMs: options.intervalMs,
      // At most a second of the server's own time (RAMPART_TIME_SCALE 600: 2 ms, where 50 would be 30 s).
      nudgeDelayMs: Math.max(2, Math.min(DEFAULT_NUDGE_DELAY_MS, Math.round(1000 / app.settings.timeScale))),
      log: app.log,
      metricsRetentionDays: app.settings.metricsRetentionDays,
      observer: app.autopilotObserver,
      // The live plugin registers after this one; it is looked up when an evaluation lands.
      onEvaluated: (releaseId, evaluation) => {
        app.live.publishAnalysis(releaseId, finiteAnalysis(evaluation.analysis));
        if (evaluation.bakeJustEnded && !evaluation.acted) app.live.publishRelease(releaseId);
      },
    });
    app.decorate('autopilot', pilot);
    app.addHook('onClose', async () => pilot.stop());
  },
  { name: 'autopilot', dependencies: ['database', 'metrics'] },
);
