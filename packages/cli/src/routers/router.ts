// What the agent needs from a traffic router: apply a canary percent and resolve only once the router
// itself reports it in force. `signal` is aborted when a rollback overtakes this apply; the apply stops
// at its next step and rejects, so two applies never run at once.

export interface TTrafficRouter {
  /** e.g. "haproxy backend app" for the agent's log lines. */
  readonly name: string;
  /** Resolves with a short description of what is now in force; rejects if it could not be confirmed. */
  apply(percent: number, signal: AbortSignal): Promise<string>;
}

export interface TWeights {
  stable: number;
  canary: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Server weights whose ratio is the percent. Whole percents split 100 exactly (then reduced, so 10%
 * is 9:1 and a round-robin cycle is short); a fractional percent is rounded to 1/`scale`. A side with
 * any share keeps weight ≥ 1, so a tiny canary percent is never silently 0.
 */
export function splitWeights(percent: number, scale = 256): TWeights {
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`percent out of range: ${percent}`);
  const total = Number.isInteger(percent) ? 100 : scale;
  let canary = Math.round((percent * total) / 100);
  if (percent > 0 && canary === 0) canary = 1;
  if (percent < 100 && canary === total) canary = total - 1;
  const stable = total - canary;
  const divisor = gcd(stable, canary) || 1;
  return { stable: stable / divisor, canary: canary / divisor };
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('stopped for a newer percent');
}

/** Resolves after `ms` or rejects as soon as `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('stopped for a newer percent'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A router's own words, shortened to one printable line for a log (never more than the gist). */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/[^\x20-\x7e]/g, '?').trim().slice(0, 160);
}
