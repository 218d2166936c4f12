// The autopilot's memory of settled bins, so that a pass reads only the last few minutes of points of each
// release rather than every trailing window again (20 minutes or more per gate, 1,000 releases a pass).
//
// A bin counts as settled once it ended SETTLE_MS before the evaluation that read it: the rule the
// sequential gates already follow (a point arriving more than 2 minutes late is not added there either).
// Younger bins are read again at every evaluation, so late points within that delay count everywhere, as
// before. To bound how long a point later than that goes unseen by the window gates, each release's
// memory is dropped every REFRESH_EVERY evaluations (staggered across releases) and rebuilt from the
// database. Nothing here is needed for correctness after a restart: an empty cache reads everything.
import { SETTLE_MS } from '@rampart/domain';
import type { TCohort } from '@rampart/contracts';
import type { TBinRead, TReleaseBins } from './read-bins.js';
import { BIN_SECONDS, emptyBins } from './read-bins.js';

const BIN_MS = BIN_SECONDS * 1000;
/** Evaluations between two full reads of a release's windows (about 5 minutes at one pass per 10 s). */
export const REFRESH_EVERY = 30;

interface TEntry {
  origin: number;
  /** Bins with coveredFrom <= t < settledTo are held whole in `bins`. */
  coveredFrom: number;
  settledTo: number;
  /** The `now` of the read that filled it: a clock that goes back invalidates the entry. */
  readAt: number;
  bins: TReleaseBins;
  evaluationsLeft: number;
}

function stagger(releaseId: string): number {
  let h = 0;
  for (let i = 0; i < releaseId.length; i++) h = (h * 31 + releaseId.charCodeAt(i)) | 0;
  return 1 + (Math.abs(h) % REFRESH_EVERY);
}

function keepFrom<B extends { t: number }>(bins: B[], from: number, before: number): B[] {
  return bins.filter((b) => b.t >= from && b.t < before);
}

function filterBins(bins: TReleaseBins, from: number, before: number): TReleaseBins {
  const out = emptyBins();
  const cohorts: TCohort[] = ['canary', 'baseline'];
  for (const [metric, series] of bins.scalars) {
    const kept = { canary: keepFrom(series.canary, from, before), baseline: keepFrom(series.baseline, from, before) };
    if (cohorts.some((c) => kept[c].length > 0)) out.scalars.set(metric, kept);
  }
  for (const [metric, series] of bins.histograms) {
    const kept = { canary: keepFrom(series.canary, from, before), baseline: keepFrom(series.baseline, from, before) };
    if (cohorts.some((c) => kept[c].length > 0)) out.histograms.set(metric, kept);
  }
  return out;
}

/** Cached bins (all before `fresh`'s first bin) followed by the fresh ones, per series in ascending t. */
function concat(cached: TReleaseBins, fresh: TReleaseBins): TReleaseBins {
  const out = emptyBins();
  for (const [metric, series] of cached.scalars) out.scalars.set(metric, { canary: [...series.canary], baseline: [...series.baseline] });
  for (const [metric, series] of fresh.scalars) {
    const into = out.scalars.get(metric);
    if (into) {
      into.canary.push(...series.canary);
      into.baseline.push(...series.baseline);
    } else out.scalars.set(metric, series);
  }
  for (const [metric, series] of cached.histograms) out.histograms.set(metric, { canary: [...series.canary], baseline: [...series.baseline] });
  for (const [metric, series] of fresh.histograms) {
    const into = out.histograms.get(metric);
    if (into) {
      into.canary.push(...series.canary);
      into.baseline.push(...series.baseline);
    } else out.histograms.set(metric, series);
  }
  return out;
}

export class BinCache {
  private readonly entries = new Map<string, TEntry>();

  /** What to read from the database for this release: from its cached settled bins on, or all of it. */
  plan(read: TBinRead, now: number): TBinRead {
    const entry = this.entries.get(read.releaseId);
    if (!entry || !this.usable(entry, read, now)) return read;
    return { ...read, from: entry.settledTo };
  }

  /** The release's bins from read.from to now: its cached ones joined to what was just read; remembers the settled ones. */
  merge(read: TBinRead, planned: TBinRead, fresh: TReleaseBins, now: number): TReleaseBins {
    const entry = this.entries.get(read.releaseId);
    const reused = entry !== undefined && planned.from !== read.from;
    const all = reused ? concat(filterBins(entry.bins, read.from, planned.from), fresh) : fresh;
    const settled = read.origin + Math.floor((now - SETTLE_MS - read.origin) / BIN_MS) * BIN_MS;
    const settledTo = Math.max(settled, planned.from);
    // The first full read of a release is staggered, so that the releases of one pass do not all refresh together.
    const evaluationsLeft = reused ? entry.evaluationsLeft - 1 : entry ? REFRESH_EVERY : stagger(read.releaseId);
    this.entries.set(read.releaseId, {
      origin: read.origin,
      coveredFrom: read.from,
      settledTo,
      readAt: now,
      bins: filterBins(all, read.from, settledTo),
      evaluationsLeft,
    });
    return all;
  }

  /** Forgets every release not in `keep` (finished, or judged by another instance). */
  retain(keep: ReadonlySet<string>): void {
    for (const id of this.entries.keys()) if (!keep.has(id)) this.entries.delete(id);
  }

  forget(releaseId: string): void {
    this.entries.delete(releaseId);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private usable(entry: TEntry, read: TBinRead, now: number): boolean {
    return entry.evaluationsLeft > 0 && entry.origin === read.origin && now >= entry.readAt && entry.coveredFrom <= read.from && read.from < entry.settledTo;
  }
}
