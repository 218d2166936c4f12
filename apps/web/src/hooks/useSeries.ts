import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { fromSeries, trimSeries, type LiveSeries } from '../lib/live-cache';
import { usePollInterval } from './useLive';
import { serverNow } from '../lib/server-clock';

/** Canary and baseline of one metric over the window ending now; live points are folded in by the stream. */
export function useSeries(releaseId: string, metric: string, windowMs: number) {
  const refetchInterval = usePollInterval();
  return useQuery<LiveSeries | null>({
    queryKey: keys.series(releaseId, metric, windowMs),
    queryFn: async () => {
      const to = serverNow();
      try {
        return fromSeries(await api.series(releaseId, { metric, from: to - windowMs, to }));
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    select: (series) => (series ? trimSeries(series, serverNow() - windowMs) : series),
    refetchInterval,
    staleTime: refetchInterval === false ? Infinity : 0,
  });
}
