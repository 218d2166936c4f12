// A scenario's traffic, bin by bin: what each cohort is expected to serve (requests, error rate, latency,
// health-check failures), composed from the effects the scenario switches on, then drawn as counts.
import type { TServiceProfile } from '../profiles.js';
import type { Random } from '../random.js';
import { drawCohort } from './cohort.js';
import type { TCohortCounts } from './cohort.js';
import { FLAT_DAY, dailyFactors } from './daily.js';
import { NO_GC, gcPauses } from './gc-pauses.js';
import { LATENCY_BOUNDS, baseLatency, bucketMasses, withDelay, withTimeouts } from './latency.js';
import { LoadBalancer } from './load-balancer.js';
import { Overdispersion } from './overdispersion.js';
import { RetryStorms, STORM_TIMEOUT_MS } from './retry-storms.js';
import { WARM_UP_ERRORS, WARM_UP_LATENCY, warmUpWeight } from './warm-up.js';

export interface TTrafficOptions {
  overdispersion?: boolean;
  retryStorms?: boolean;
  /** The canary's hosts run at 1.1× the baseline's error rate and 1.05× its latency. */
  harmless?: boolean;
  daily?: boolean;
  lbRamps?: boolean;
  /** A heavy (Pareto) latency tail and GC pauses. */
  gcPauses?: boolean;
  warmUp?: boolean;
}

export const HARMLESS_ERRORS = 1.1;
export const HARMLESS_LATENCY = 1.05;
/** Share of requests in the Pareto tail (from 3× the median, α 1.5) when the tail is on. */
const HEAVY_TAIL_WEIGHT = 0.01;
/** Requests per second one host serves (so 100 req/s is 4 hosts, 1000 req/s 40). */
const REQUESTS_PER_HOST = 25;

export interface TRegressionEffect {
  kind: 'errors' | 'latency' | 'outage';
  /** errors: the canary's error rate ×factor; latency: every duration ×factor. */
  factor: number;
  /** Seconds after the release start. */
  startS: number;
}

export interface TStageContext {
  index: number;
  percent: number;
  enteredS: number;
}

export interface TCohortBin extends TCohortCounts {
  /** Chance a health check of this cohort fails in this bin. */
  healthFailure: number;
  /** The bin's relative load (for utilisation gauges). */
  load: number;
}

export interface TBinTraffic {
  canary: TCohortBin;
  baseline: TCohortBin;
  /** The canary's actual share of requests this bin (before Poisson noise). */
  share: number;
}

export class TrafficModel {
  private readonly overdispersion: Overdispersion | null;
  private readonly storms: RetryStorms | null;
  private readonly lb: LoadBalancer | null;
  private readonly hosts: number;

  constructor(
    private readonly rng: Random,
    private readonly options: TTrafficOptions,
    private readonly profile: TServiceProfile,
    private readonly rps: number,
    private readonly binSeconds: number,
    private readonly regression: TRegressionEffect | null,
  ) {
    this.overdispersion = options.overdispersion ? new Overdispersion(rng) : null;
    this.storms = options.retryStorms ? new RetryStorms(rng, binSeconds) : null;
    this.lb = options.lbRamps ? new LoadBalancer(rng) : null;
    this.hosts = Math.max(4, Math.round(rps / REQUESTS_PER_HOST));
  }

  /** The bin starting `s` seconds after the release start (epoch ms `t`). */
  bin(s: number, t: number, stage: TStageContext): TBinTraffic {
    const o = this.options;
    const day = o.daily ? dailyFactors(t) : FLAT_DAY;
    const share = this.lb ? this.lb.share(s, stage.index, stage.enteredS, stage.percent) : Math.min(1, stage.percent / 100);
    const errorFactors = this.overdispersion ? this.overdispersion.step() : { canary: 1, baseline: 1 };
    const storm = this.storms ? this.storms.step() : { amplification: 1, canaryFailure: 0, baselineFailure: 0 };
    const warm = o.warmUp ? warmUpWeight(s - stage.enteredS) : 0;
    const regressed = this.regression !== null && s >= this.regression.startS ? this.regression : null;

    const perBin = this.rps * this.binSeconds * day.load * storm.amplification;
    const baseRate = this.profile.errorRate * day.errors;
    let canaryRate = baseRate * errorFactors.canary * (o.harmless ? HARMLESS_ERRORS : 1) * (1 + WARM_UP_ERRORS * warm);
    if (regressed?.kind === 'errors') canaryRate *= regressed.factor;
    canaryRate = 1 - (1 - Math.min(1, canaryRate)) * (1 - storm.canaryFailure);
    if (regressed?.kind === 'outage') canaryRate = 1;
    const baselineRate = 1 - (1 - Math.min(1, baseRate * errorFactors.baseline)) * (1 - storm.baselineFailure);

    let canaryLatencyFactor = day.latency * (o.harmless ? HARMLESS_LATENCY : 1) * (1 + WARM_UP_LATENCY * warm);
    if (regressed?.kind === 'latency') canaryLatencyFactor *= regressed.factor;
    const shape = o.gcPauses ? { ...this.profile.latency, tailWeight: HEAVY_TAIL_WEIGHT } : this.profile.latency;

    const canaryHosts = Math.max(1, Math.round(share * this.hosts));
    const baselineHosts = Math.max(1, this.hosts - canaryHosts);
    const canaryGc = o.gcPauses ? gcPauses(this.rng, canaryHosts, this.binSeconds) : NO_GC;
    const baselineGc = o.gcPauses ? gcPauses(this.rng, baselineHosts, this.binSeconds) : NO_GC;

    const canaryLatency = withTimeouts(withDelay(baseLatency(shape, canaryLatencyFactor), canaryGc.share, canaryGc.maxDelayMs), storm.canaryFailure / 2, STORM_TIMEOUT_MS);
    const baselineLatency = withTimeouts(withDelay(baseLatency(shape, day.latency), baselineGc.share, baselineGc.maxDelayMs), storm.baselineFailure / 2, STORM_TIMEOUT_MS);

    const canary = share > 0 ? drawCohort(this.rng, perBin * share, canaryRate, bucketMasses(canaryLatency, LATENCY_BOUNDS)) : empty();
    const baseline = share < 1 ? drawCohort(this.rng, perBin * (1 - share), baselineRate, bucketMasses(baselineLatency, LATENCY_BOUNDS)) : empty();
    return {
      share,
      canary: { ...canary, healthFailure: Math.min(1, this.profile.healthFailure + canaryGc.healthFailure), load: day.load * storm.amplification },
      baseline: { ...baseline, healthFailure: Math.min(1, this.profile.healthFailure + baselineGc.healthFailure), load: day.load * storm.amplification },
    };
  }
}

function empty(): TCohortCounts {
  return { requests: 0, errors: 0, counts: new Array<number>(LATENCY_BOUNDS.length).fill(0) };
}
