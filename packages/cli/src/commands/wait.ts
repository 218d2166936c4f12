// wait: polls the release until it is in one of the given states or at (or past) a given stage.
// Exit codes a CI job branches on: 0 reached, 2 finished in another terminal state, 3 timed out.
import type { TRelease, TReleaseState } from '@rampart/contracts';
import { FINISHED_STATES, ZRelease, ZReleaseState } from '@rampart/contracts';
import type { RampartClient } from '../client.js';
import { CliExit, EXIT } from '../exit-codes.js';
import type { TIo } from '../io.js';
import { print, printJson } from '../io.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30m", "90s", "1h30m", "500ms", or a plain number of seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new CliExit(EXIT.usage, `"${text}" is not a duration; use e.g. 90s, 30m, 1h30m`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]!]!, 0);
}

export interface TWaitOptions {
  state?: string | undefined;
  stage?: string | undefined;
  timeout?: string | undefined;
  /** Poll interval; default 2s. */
  interval?: string | undefined;
  json?: boolean | undefined;
  quiet?: boolean | undefined;
}

export interface TWaitOutcome {
  outcome: 'reached' | 'other_terminal_state' | 'timeout';
  release: TRelease;
}

function atOrPastStage(release: TRelease, key: string): boolean {
  const target = release.stages.find((s) => s.key === key);
  if (!target) throw new CliExit(EXIT.error, `The release has no stage "${key}" (stages: ${release.stages.map((s) => s.key).join(', ')})`);
  if (release.state === 'completed') return true;
  if (release.state !== 'running' && release.state !== 'paused') return false;
  return release.currentStageIndex >= target.position;
}

export async function waitCommand(client: RampartClient, io: TIo, id: string, options: TWaitOptions): Promise<TWaitOutcome> {
  if ((options.state === undefined) === (options.stage === undefined)) {
    throw new CliExit(EXIT.usage, 'Give either --state <state>[,<state>...] or --stage <key>');
  }
  let states: TReleaseState[] = [];
  if (options.state !== undefined) {
    states = options.state.split(',').map((s) => {
      const parsed = ZReleaseState.safeParse(s.trim());
      if (!parsed.success) throw new CliExit(EXIT.usage, `Unknown state "${s.trim()}" (states: ${ZReleaseState.options.join(', ')})`);
      return parsed.data;
    });
  }
  const timeoutMs = parseDuration(options.timeout ?? '30m');
  const intervalMs = Math.max(50, parseDuration(options.interval ?? '2s'));
  const deadline = Date.now() + timeoutMs;
  let lastLine = '';

  for (;;) {
    const release = await client.get(`/api/releases/${encodeURIComponent(id)}`, ZRelease);
    const line = `${release.state}${release.currentStage ? ` at ${release.currentStage.key}` : ''} (desired ${release.desiredPercent}%, acknowledged ${release.acknowledgedPercent}%)`;
    if (line !== lastLine && !options.quiet && !options.json) print(io.stderr, line);
    lastLine = line;

    const reached = options.stage !== undefined ? atOrPastStage(release, options.stage) : states.includes(release.state);
    let outcome: TWaitOutcome['outcome'] | null = null;
    if (reached) outcome = 'reached';
    else if (FINISHED_STATES.includes(release.state)) outcome = 'other_terminal_state';
    else if (Date.now() >= deadline) outcome = 'timeout';
    if (outcome) {
      if (options.json) printJson(io.stdout, { outcome, state: release.state, stage: release.currentStage?.key ?? null, revision: release.revision });
      else print(io.stdout, outcome === 'reached' ? `reached: ${line}` : outcome === 'timeout' ? `timed out: ${line}` : `finished as ${release.state}, not as asked`);
      return { outcome, release };
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

export function waitExitCode(outcome: TWaitOutcome['outcome']): number {
  return outcome === 'reached' ? EXIT.ok : outcome === 'timeout' ? EXIT.timeout : EXIT.otherTerminalState;
}
