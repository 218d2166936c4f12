// Load-balancer weight ramps: the canary's actual share is not the set percentage. After each change the
// deploy agent applies the new weight 5 to 60 s late, and the share then moves like a damped spring (damping
// 0.35 to 0.9, settling in 30 s to 3 min: connection draining, keep-alive connections, sticky sessions), to a
// level off by a log-normal factor (σ 0.2) per stage (weights are per host, traffic per connection), with
// ±15% noise from bin to bin (whole connections land on one side).
import type { Random } from '../random.js';
import { logUniform, uniform } from './distributions.js';

const BIN_NOISE_SIGMA = 0.15;
const LEVEL_SIGMA = 0.2;

interface TRamp {
  fromShare: number;
  toShare: number;
  startS: number;
  zeta: number;
  omega: number;
}

export class LoadBalancer {
  private ramp: TRamp | null = null;
  private stageIndex = -1;

  constructor(private readonly rng: Random) {}

  private current(s: number): number {
    const r = this.ramp;
    if (!r) return 0;
    const dt = s - r.startS;
    if (dt <= 0) return r.fromShare;
    const wd = r.omega * Math.sqrt(1 - r.zeta * r.zeta);
    const response = 1 - Math.exp(-r.zeta * r.omega * dt) * (Math.cos(wd * dt) + (r.zeta / Math.sqrt(1 - r.zeta * r.zeta)) * Math.sin(wd * dt));
    return r.fromShare + (r.toShare - r.fromShare) * response;
  }

  /** The canary's actual share of requests in the bin starting `s` seconds into the release. */
  share(s: number, stageIndex: number, stageEnteredS: number, percent: number): number {
    if (stageIndex !== this.stageIndex) {
      const fromShare = this.stageIndex < 0 ? 0 : this.current(s);
      this.stageIndex = stageIndex;
      const target = percent >= 100 ? 1 : percent <= 0 ? 0 : Math.min(0.95, (percent / 100) * Math.exp(LEVEL_SIGMA * this.rng.normal()));
      const zeta = uniform(this.rng, 0.35, 0.9);
      const settle = logUniform(this.rng, 30, 180);
      this.ramp = { fromShare, toShare: target, startS: stageEnteredS + uniform(this.rng, 5, 60), zeta, omega: 4 / (zeta * settle) };
    }
    const level = Math.min(1, Math.max(0, this.current(s)));
    if (level >= 1 || level <= 0) return level;
    return Math.min(0.97, level * Math.exp(BIN_NOISE_SIGMA * this.rng.normal() - (BIN_NOISE_SIGMA * BIN_NOISE_SIGMA) / 2));
  }
}
