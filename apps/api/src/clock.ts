/** Where every service reads the time, so tests and demos can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

/**
 * Runs `scale` times faster than the wall clock, from `origin` on. Demos and whole-seed checks use it
 * to pass a 2-hour bake in minutes; everything (bake times, sustain windows, countdowns) follows it.
 */
export class ScaledClock implements Clock {
  private readonly startedAt = Date.now();
  constructor(
    readonly scale: number,
    private readonly origin: Date = new Date(),
  ) {}
  now(): Date {
    return new Date(this.origin.getTime() + (Date.now() - this.startedAt) * this.scale);
  }
}
