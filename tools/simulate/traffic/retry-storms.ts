// Retry storms: a dependency blips (on average every 90 minutes, for 20 s to 2 min), a fraction f of attempts
// fail (3% to 20%), and clients retry up to three times, so load grows by 1 + f + f² + f³ and failures with
// it. The retries reach both cohorts by their traffic share; how hard each cohort is hit clumps (its hosts'
// connection pools, the clients it serves): its failure fraction is f times a gamma factor per storm (CV 0.35)
// and per bin (CV 0.2). Half the failed attempts are timeouts (1 s) rather than fast errors.
import type { Random } from '../random.js';
import { chance, gammaWithCv, logUniform } from './distributions.js';

const MEAN_GAP_SECONDS = 90 * 60;
const STORM_CLUMP_CV = 0.35;
const BIN_CLUMP_CV = 0.2;
export const STORM_TIMEOUT_MS = 1000;

export interface TStormEffect {
  /** Load multiplier from retries (1 outside storms). */
  amplification: number;
  /** Extra failure fraction per cohort. */
  canaryFailure: number;
  baselineFailure: number;
}

const CALM: TStormEffect = { amplification: 1, canaryFailure: 0, baselineFailure: 0 };

export class RetryStorms {
  private remainingSeconds = 0;
  private f = 0;
  private canaryClump = 1;
  private baselineClump = 1;

  constructor(
    private readonly rng: Random,
    private readonly binSeconds: number,
  ) {}

  step(): TStormEffect {
    if (this.remainingSeconds <= 0 && chance(this.rng, this.binSeconds / MEAN_GAP_SECONDS)) {
      this.remainingSeconds = logUniform(this.rng, 20, 120);
      this.f = logUniform(this.rng, 0.03, 0.2);
      this.canaryClump = gammaWithCv(this.rng, STORM_CLUMP_CV);
      this.baselineClump = gammaWithCv(this.rng, STORM_CLUMP_CV);
    }
    if (this.remainingSeconds <= 0) return CALM;
    // A storm that ends inside the bin covers only part of it.
    const covered = Math.min(1, this.remainingSeconds / this.binSeconds);
    this.remainingSeconds -= this.binSeconds;
    const f = this.f;
    return {
      amplification: 1 + covered * (f + f * f + f * f * f),
      canaryFailure: covered * Math.min(0.95, f * this.canaryClump * gammaWithCv(this.rng, BIN_CLUMP_CV)),
      baselineFailure: covered * Math.min(0.95, f * this.baselineClump * gammaWithCv(this.rng, BIN_CLUMP_CV)),
    };
  }
}
