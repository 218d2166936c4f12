// A value read at most once per `ttlMs` however many callers ask: concurrent misses share one load
// (single flight), and a failed load is not kept, so the next caller tries again.
export interface TCachedRead<T> {
  get(): Promise<T>;
  /** How many loads ran: what a test counts. */
  readonly loads: number;
}

export function cachedRead<T>(load: () => Promise<T>, ttlMs: number, now: () => number = () => performance.now()): TCachedRead<T> {
  let value: { at: number; data: T } | null = null;
  let inFlight: Promise<T> | null = null;
  let loads = 0;
  return {
    get loads() {
      return loads;
    },
    get() {
      if (value && now() - value.at < ttlMs) return Promise.resolve(value.data);
      if (inFlight) return inFlight;
      loads += 1;
      const started = now();
      inFlight = load()
        .then((data) => {
          value = { at: started, data };
          return data;
        })
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
  };
}
