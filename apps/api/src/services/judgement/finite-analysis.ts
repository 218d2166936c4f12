// An analysis leaves the server as JSON (the analysis route, the live stream, the release row), and
// JSON has no Infinity or NaN: the route's response check refuses them (a 500 for the whole page), and
// JSON.stringify quietly turns them into null. The engine should never produce them, but if one slips
// through (an e-value overflowing on overwhelming evidence), the page must still load.
import type { TAnalysis } from '@rampart/contracts';

/** The largest double stands in for an infinity: "at least this much", which is what the verdict used. */
function finite(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    if (value === Infinity) return Number.MAX_VALUE;
    if (value === -Infinity) return -Number.MAX_VALUE;
    return value;
  }
  if (Array.isArray(value)) return value.map(finite);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, finite(inner)]));
  }
  return value;
}

/** The analysis with every infinity clamped to the largest double and every NaN made null. */
export function finiteAnalysis<T extends TAnalysis>(analysis: T): T {
  return finite(analysis) as T;
}
