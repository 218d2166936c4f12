// The `rampart` command line. Commander parses it (the most used Node argument parser: subcommands,
// required options, generated --help and errors for unknown options, with no dependencies of its own);
// each command is a plain async function in commands/, which the tests call directly too.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RELEASE_ACTIONS } from '@rampart/contracts';
import type { TReleaseAction } from '@rampart/contracts';
import { ApiError, RampartClient } from './client.js';
import { runAgent } from './commands/agent.js';
import { pushMetricsCommand } from './commands/push-metrics.js';
import { actionCommand, createCommand, statusCommand } from './commands/release.js';
import { parseDuration, waitCommand, waitExitCode } from './commands/wait.js';
import { CliExit, EXIT } from './exit-codes.js';
import { routerFromFlags } from './routers/from-flags.js';
import type { TRouterFlags } from './routers/from-flags.js';
import type { TIo } from './io.js';
import { print } from './io.js';
import manifest from '../package.json' with { type: 'json' };

interface TGlobalOptions {
  url?: string;
  token?: string;
}

const EXIT_HELP = `
Exit codes:
  0  done (wait: reached the state or stage)
  1  error (network, authentication, refused request, bad file)
  2  usage: unknown command or option, missing or bad argument
  3  wait: timed out
  4  action: conflict (409: stale revision or illegal transition)
  5  action: blocked (422: bake time, failing gate, sign-off, checklist)
  6  wait: the release finished in another terminal state (e.g. rolled_back)

Environment: RAMPART_URL (default http://localhost:8080), RAMPART_TOKEN (an API token).
rampart --version prints the version.`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Runs one command line (without `node main.ts`) and resolves to the process exit code. */
export async function runCli(argv: string[], io: TIo, signal?: AbortSignal): Promise<number> {
  let code: number = EXIT.ok;
  // Only as the first argument: \`create --version <v>\` is the release's version, not ours.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    print(io.stdout, manifest.version);
    return EXIT.ok;
  }
  const program = new Command('rampart')
    .description('Rampart from a pipeline or a deploy machine: releases, actions, metrics, and the traffic agent.')
    .option('--url <url>', 'Rampart base URL (env RAMPART_URL)')
    .option('--token <token>', 'API token (env RAMPART_TOKEN)')
    .addHelpText('after', EXIT_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(rampart --help lists the commands)');

  const client = () => {
    const g = program.opts<TGlobalOptions>();
    const url = g.url ?? io.env.RAMPART_URL ?? 'http://localhost:8080';
    const token = g.token ?? io.env.RAMPART_TOKEN;
    if (!token) throw new CliExit(EXIT.usage, 'No API token: set RAMPART_TOKEN or pass --token (create one under Settings > API tokens, or POST /api/tokens)');
    return new RampartClient({ url, token });
  };

  program
    .command('create')
    .description('Create a release from a playbook; prints its id')
    .requiredOption('--service <name>', 'the service being released')
    .requiredOption('--version <version>', 'the software version being released')
    .requiredOption('--playbook <key|id>', 'playbook key (e.g. production-rollout) or id')
    .option('--notes <text>', 'release notes')
    .option('--json', 'print the release as JSON')
    .action(async (o: { service: string; version: string; playbook: string; notes?: string; json?: boolean }) => {
      await createCommand(client(), io, o);
    });

  program
    .command('status <id>')
    .description("Show a release's state, stage, traffic and what blocks its actions")
    .option('--json', 'print the release as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await statusCommand(client(), io, id, o);
    });

  program
    .command('action <id> <action>')
    .description(`Act on a release (${RELEASE_ACTIONS.join('|')}) at its current revision; exits 4 on a conflict, 5 when blocked`)
    .option('--reason <text>', 'why (recorded in the audit log; required with --force)')
    .option('--force', 'override blockers (owners only, needs --reason)')
    .option('--json', 'print the release (or the refusal) as JSON')
    .action(async (id: string, action: string, o: { reason?: string; force?: boolean; json?: boolean }) => {
      if (!(RELEASE_ACTIONS as readonly string[]).includes(action)) {
        throw new CliExit(EXIT.usage, `Unknown action "${action}" (actions: ${RELEASE_ACTIONS.join(', ')})`);
      }
      await actionCommand(client(), io, id, action as TReleaseAction, o);
    });

  program
    .command('push-metrics <id>')
    .description('Send metric points from a JSON or NDJSON file, or stdin (-), in batches of at most 10,000')
    .option('--file <path>', 'JSON ({"points": [...]} or [...]) or NDJSON file; - or omitted: stdin')
    .addOption(new Option('--batch-size <n>', 'points per request (max 10000)').argParser(positiveInt))
    .option('--json', 'print the totals as JSON')
    .action(async (id: string, o: { file?: string; batchSize?: number; json?: boolean }) => {
      await pushMetricsCommand(client(), io, id, o);
    });

  program
    .command('wait <id>')
    .description('Wait until the release is in a state or at (or past) a stage; exits 0 reached, 3 timeout, 6 other terminal state')
    .option('--state <states>', 'one state or several, comma-separated (e.g. completed or running,paused)')
    .option('--stage <key>', 'a stage key: reached once the release is at or past it')
    .option('--timeout <duration>', 'e.g. 90s, 30m, 2h', '30m')
    .option('--interval <duration>', 'poll interval', '2s')
    .option('--json', 'print the outcome as JSON')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (id: string, o: { state?: string; stage?: string; timeout: string; interval: string; json?: boolean; quiet?: boolean }) => {
      const result = await waitCommand(client(), io, id, o);
      code = waitExitCode(result.outcome);
    });

  program
    .command('agent')
    .description("Follow a release's desired traffic percent on this machine: run a command when it changes, acknowledge on success")
    .requiredOption('--release <id>', 'the release to follow')
    .option('--exec <command>', "shell command; {percent} is replaced, e.g. 'wrangler deployments gradual {percent}'")
    .addOption(new Option('--router <kind>', 'drive this traffic router instead of a command').choices(['haproxy', 'nginx']).conflicts('exec'))
    .option('--haproxy-socket <path|host:port>', 'HAProxy runtime API (stats socket, level admin)')
    .option('--haproxy-backend <name>', 'the HAProxy backend holding the two servers')
    .option('--haproxy-stable <server>', 'the stable server in that backend', 'stable')
    .option('--haproxy-canary <server>', 'the canary server in that backend', 'canary')
    .option('--nginx-upstream-file <path>', 'the file your upstream block includes; the agent writes it')
    .option('--nginx-stable <address>', 'stable server address, host:port or unix:/path')
    .option('--nginx-canary <address>', 'canary server address, host:port or unix:/path')
    .option('--nginx-conf <path>', "nginx's main configuration (nginx -c)")
    .option('--nginx-prefix <path>', "nginx's prefix (nginx -p)")
    .option('--nginx-pid <path>', "the nginx master's pid file", '/run/nginx.pid')
    .option('--nginx-bin <path>', 'the nginx binary', 'nginx')
    .addOption(new Option('--poll-interval <duration>', 'polling period without the live channel').default(2000, '2s').argParser(duration))
    .option('--no-websocket', 'poll only; do not use the live channel')
    .addOption(new Option('--retry-max <duration>', 'longest wait between retries of a failing command').default(60_000, '60s').argParser(duration))
    .action(async (o: TRouterFlags & { release: string; exec?: string; pollInterval: number; websocket: boolean; retryMax: number }) => {
      if ((o.exec === undefined) === (o.router === undefined)) throw new CliExit(EXIT.usage, 'agent: give either --exec <command> or --router haproxy|nginx');
      await runAgent(client(), io, {
        release: o.release,
        ...(o.exec === undefined ? { router: routerFromFlags(o) } : { exec: o.exec }),
        pollIntervalMs: o.pollInterval,
        websocket: o.websocket,
        retryMaxMs: o.retryMax,
        ...(signal ? { signal } : {}),
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliExit) {
      print(io.stderr, `rampart: ${error.message}`);
      return error.code;
    }
    if (error instanceof ApiError) {
      print(io.stderr, `rampart: ${error.message}`);
      return EXIT.error;
    }
    print(io.stderr, `rampart: ${(error as Error).stack ?? String(error)}`);
    return EXIT.error;
  }
}
