// How points reach Rampart. The ideal pipeline pushes every 10 s bin as it ends. A production-like one
// pushes once a minute (the minute's counts and histogram, gauges over that minute, the latest health
// check), stamped at collection; each cohort has its own exporter, so each push arrives 2–15 s later, one
// in twenty 30 s to 2 min later; about once an hour an exporter misses 1 push (60%), 2 (30%) or 3 (10%) in a row, after which
// half the time it sends what it held (late) and otherwise loses it; 3% of pushes are sent twice (a retry after a
// timeout), which the database drops as exact duplicates.
import type { Random } from '../random.js';
import { chance, uniform } from '../traffic/distributions.js';
import type { CohortGauges } from '../traffic/gauges.js';
import type { TCohortBin } from '../traffic/model.js';
import type { TCohort, TPoint } from './store.js';

export interface TPipelineOptions {
  /** 10: every bin, on time. 60: once a minute with delays, stalls and duplicates. */
  pushEverySeconds: 10 | 60;
  /** Drop every baseline point (a baseline that does not report). */
  noBaseline?: boolean;
}

const LATE_SHARE = 0.05;
const STALLS_PER_HOUR = 1;
const BACKFILL_SHARE = 0.5;
const DUPLICATE_SHARE = 0.03;

interface TDelivery {
  at: number;
  points: TPoint[];
}

interface TPending {
  requests: number;
  errors: number;
  counts: number[] | null;
  healthy: number | null;
}

/** One cohort's exporter. */
export class Exporter {
  private pending: TPending = { requests: 0, errors: 0, counts: null, healthy: null };
  private stalledUntil = -Infinity;
  private held: TPoint[] = [];
  private backfill = false;
  private readonly queue: TDelivery[] = [];

  constructor(
    private readonly rng: Random,
    private readonly cohort: TCohort,
    private readonly options: TPipelineOptions,
    private readonly gauges: CohortGauges,
    private readonly wantsHealth: boolean,
    private readonly binMs: number,
  ) {}

  /** Takes the bin [t, t + bin) once it has ended; points become deliverable at their arrival time. */
  record(t: number, bin: TCohortBin): void {
    this.gauges.add(bin);
    if (this.options.noBaseline && this.cohort === 'baseline') return;
    const end = t + this.binMs;
    const healthy = this.wantsHealth && bin.requests > 0 ? (chance(this.rng, bin.healthFailure) ? 0 : 1) : null;
    if (this.options.pushEverySeconds === 10) {
      if (bin.requests > 0 || healthy !== null) this.queue.push({ at: end, points: this.points(t, bin.requests, bin.errors, bin.counts, healthy, bin.load) });
      return;
    }
    const p = this.pending;
    p.requests += bin.requests;
    p.errors += bin.errors;
    p.counts = p.counts ? p.counts.map((c, i) => c + (bin.counts[i] ?? 0)) : bin.counts.slice();
    if (healthy !== null) p.healthy = healthy;
    if ((end / 1000) % 60 !== 0) return;
    const points = p.requests > 0 || p.healthy !== null ? this.points(end, p.requests, p.errors, p.counts!, p.healthy, bin.load) : [];
    this.pending = { requests: 0, errors: 0, counts: null, healthy: null };
    this.ship(end, points);
  }

  private ship(end: number, points: TPoint[]): void {
    // A stall starts (about once an hour) or goes on; what it held is sent when it ends, or lost.
    if (end >= this.stalledUntil && chance(this.rng, STALLS_PER_HOUR / 60)) {
      const u = this.rng.next();
      this.stalledUntil = end + (u < 0.6 ? 1 : u < 0.9 ? 2 : 3) * 60_000;
      this.backfill = chance(this.rng, BACKFILL_SHARE);
      this.held = [];
    }
    if (end < this.stalledUntil) {
      if (this.backfill) this.held.push(...points);
      return;
    }
    if (this.held.length > 0) {
      points = [...this.held, ...points];
      this.held = [];
    }
    if (points.length === 0) return;
    const delay = chance(this.rng, LATE_SHARE) ? uniform(this.rng, 30, 120) : uniform(this.rng, 2, 15);
    const at = end + delay * 1000;
    this.queue.push({ at, points });
    if (chance(this.rng, DUPLICATE_SHARE)) this.queue.push({ at: at + uniform(this.rng, 5, 30) * 1000, points });
  }

  private points(ts: number, requests: number, errors: number, counts: number[], healthy: number | null, load: number): TPoint[] {
    const cohort = this.cohort;
    const out: TPoint[] = [];
    if (requests > 0) {
      out.push({ kind: 'scalar', metric: 'requests', cohort, ts, value: requests });
      out.push({ kind: 'scalar', metric: 'errors', cohort, ts, value: errors });
      out.push({ kind: 'histogram', metric: 'latency_ms', cohort, ts, counts: counts.slice() });
    }
    for (const [metric, value] of this.gauges.values(load)) out.push({ kind: 'scalar', metric, cohort, ts, value });
    if (healthy !== null) out.push({ kind: 'scalar', metric: 'health_ok', cohort, ts, value: healthy });
    return out;
  }

  /** Points that have arrived by `now`, in arrival order. */
  deliver(now: number): TPoint[] {
    if (this.queue.length === 0) return [];
    const out: TPoint[] = [];
    let kept = 0;
    this.queue.sort((a, b) => a.at - b.at);
    for (const d of this.queue) {
      if (d.at <= now) out.push(...d.points);
      else this.queue[kept++] = d;
    }
    this.queue.length = kept;
    return out;
  }
}
