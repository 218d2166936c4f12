import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { usePollInterval } from './useLive';

/** The newest events of a release; the live stream appends to this cache entry. */
export function useReleaseEvents(id: string) {
  const refetchInterval = usePollInterval();
  return useQuery({
    queryKey: keys.events(id),
    queryFn: () => api.events(id, { limit: 100 }),
    refetchInterval,
    // Pushed events are merged into the cache; a refetch would drop older pages, so only poll without the socket.
    staleTime: refetchInterval === false ? Infinity : 0,
  });
}
