/**
 * What `rampart` exits with, so a CI job can branch on it. Stable: documented in the README.
 *   0  done (wait: the release reached the state or stage asked for)
 *   1  error: network, authentication, a refused request, a failed file
 *   2  usage: the command line itself is wrong (unknown command or option, missing or bad value), as is
 *      conventional, so a typo in a pipeline is told apart from a failure at run time
 *   3  wait: timed out
 *   4  action: conflict (409) - the release changed meanwhile (stale revision) or the action is illegal in its state
 *   5  action: blocked (422) - blockers stand in the way (bake time, failing gate, sign-off, checklist); see --force
 *   6  wait: the release finished in another terminal state (e.g. rolled_back while waiting for completed)
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  timeout: 3,
  conflict: 4,
  blocked: 5,
  otherTerminalState: 6,
} as const;
export type TExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown by a command to end with a given exit code and message (printed to stderr). */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
