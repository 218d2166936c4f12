// Draws the traffic models need on top of the shared PRNG: gamma (for negative-binomial mixing), log-uniform,
// and a mean-one log-normal AR(1) process for rates that wander and come back.
import type { Random } from '../random.js';

/** Gamma(shape, scale 1/shape): mean 1, coefficient of variation 1/sqrt(shape) (Marsaglia & Tsang 2000). */
export function gammaMeanOne(rng: Random, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) return 1;
  if (shape < 1) return gammaMeanOne(rng, shape + 1) * ((shape + 1) / shape) * Math.pow(rng.next() || 1e-12, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / shape;
  }
}

/** A gamma with the given coefficient of variation (0: exactly 1). */
export function gammaWithCv(rng: Random, cv: number): number {
  return cv <= 0 ? 1 : gammaMeanOne(rng, 1 / (cv * cv));
}

export function uniform(rng: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

export function logUniform(rng: Random, lo: number, hi: number): number {
  return Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));
}

/** Bernoulli. */
export function chance(rng: Random, p: number): boolean {
  return rng.next() < p;
}

/**
 * exp(x_t − σ²/2) with x_t a stationary Gaussian AR(1) of standard deviation σ and correlation ρ per step:
 * a multiplicative factor of mean 1 that drifts and returns (time constant about 1 / (1 − ρ) steps).
 */
export class LogNormalAr1 {
  private x: number;

  constructor(
    private readonly rng: Random,
    private readonly sigma: number,
    private readonly rho: number,
  ) {
    this.x = sigma > 0 ? sigma * rng.normal() : 0;
  }

  step(): number {
    if (this.sigma <= 0) return 1;
    this.x = this.rho * this.x + Math.sqrt(1 - this.rho * this.rho) * this.sigma * this.rng.normal();
    return Math.exp(this.x - (this.sigma * this.sigma) / 2);
  }
}
