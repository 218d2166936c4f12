// Overdispersed errors: the error rate itself varies from bin to bin. A shared factor (a dependency having a
// bad minute moves both cohorts) drifts as a log-normal AR(1); each cohort has its own slower drift (its
// hosts, their connections, the clients they happen to serve) and fresh gamma noise every bin, so a cohort's
// error count is negative binomial rather than Poisson. Every factor has mean 1: no cohort is worse on average.
import type { Random } from '../random.js';
import { LogNormalAr1, gammaWithCv } from './distributions.js';

/** Shared by both cohorts: σ 0.4 in log, correlation 0.9 per 10 s bin (a time constant near 100 s). */
const GLOBAL_SIGMA = 0.4;
const GLOBAL_RHO = 0.9;
/** Each cohort's own drift: σ 0.15, correlation 0.97 per bin (about 5 minutes). */
const COHORT_SIGMA = 0.15;
const COHORT_RHO = 0.97;
/** Each cohort's bin-to-bin gamma noise: coefficient of variation 0.3. */
const COHORT_BIN_CV = 0.3;

export interface TErrorFactors {
  canary: number;
  baseline: number;
}

export class Overdispersion {
  private readonly global: LogNormalAr1;
  private readonly canary: LogNormalAr1;
  private readonly baseline: LogNormalAr1;

  constructor(private readonly rng: Random) {
    this.global = new LogNormalAr1(rng, GLOBAL_SIGMA, GLOBAL_RHO);
    this.canary = new LogNormalAr1(rng, COHORT_SIGMA, COHORT_RHO);
    this.baseline = new LogNormalAr1(rng, COHORT_SIGMA, COHORT_RHO);
  }

  step(): TErrorFactors {
    const g = this.global.step();
    return {
      canary: g * this.canary.step() * gammaWithCv(this.rng, COHORT_BIN_CV),
      baseline: g * this.baseline.step() * gammaWithCv(this.rng, COHORT_BIN_CV),
    };
  }
}
