import { useCallback, useSyncExternalStore } from 'react';
import { serverNow } from '../lib/server-clock';

// One ticker per interval, shared by every component that asks for it: the bake countdown and the bake
// blocker beside it then read the very same instant and cannot be a tick apart.
interface Ticker {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
}

const tickers = new Map<number, Ticker>();

function tickerFor(everyMs: number): Ticker {
  let ticker = tickers.get(everyMs);
  if (!ticker) {
    ticker = { now: serverNow(), listeners: new Set(), timer: null };
    tickers.set(everyMs, ticker);
  }
  return ticker;
}

function subscribe(everyMs: number, listener: () => void): () => void {
  const ticker = tickerFor(everyMs);
  ticker.listeners.add(listener);
  if (!ticker.timer) {
    ticker.now = serverNow();
    ticker.timer = setInterval(() => {
      ticker.now = serverNow();
      for (const notify of ticker.listeners) notify();
    }, everyMs);
  }
  return () => {
    ticker.listeners.delete(listener);
    if (ticker.listeners.size === 0 && ticker.timer) {
      clearInterval(ticker.timer);
      ticker.timer = null;
    }
  };
}

/** The current server time, ticking every `everyMs`, so relative times and countdowns move on their own. */
export function useNow(everyMs = 1000): number {
  const onTick = useCallback((listener: () => void) => subscribe(everyMs, listener), [everyMs]);
  return useSyncExternalStore(onTick, () => tickerFor(everyMs).now);
}
