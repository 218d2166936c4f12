import { useEffect, useState } from 'react';
import { serverNow } from '../lib/server-clock';

/** The current time, ticking every `everyMs`, so relative times and countdowns move on their own. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
