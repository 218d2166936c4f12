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

/**
 * Reads by key that callers arriving together share, without ever answering from before the caller
 * arrived: while a load for a key is running, newcomers wait for the next one, which starts when it
 * ends and serves all of them. So a key costs at most one load in flight however many ask at once,
 * and every answer still reflects a read begun after its request came in (a write that committed
 * before the request is always seen: what a poller or a page right after an action expects).
 */
export class FreshReads<K, V> {
  private readonly states = new Map<K, { next: { promise: Promise<V>; start: () => void } | null }>();

  constructor(private readonly load: (key: K) => Promise<V>) {}

  get(key: K): Promise<V> {
    const state = this.states.get(key);
    if (!state) {
      const fresh = { next: null };
      this.states.set(key, fresh);
      return this.run(key, fresh);
    }
    if (!state.next) {
      let start!: () => void;
      const promise = new Promise<void>((resolve) => {
        start = resolve;
      }).then(() => this.run(key, state));
      state.next = { promise, start };
    }
    return state.next.promise;
  }

  private run(key: K, state: { next: { promise: Promise<V>; start: () => void } | null }): Promise<V> {
    const done = () => {
      const waiting = state.next;
      state.next = null;
      if (waiting) waiting.start();
      else this.states.delete(key);
    };
    const loading = this.load(key);
    loading.then(done, done);
    return loading;
  }
}
