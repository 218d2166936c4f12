import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { usePollInterval } from './useLive';

/** The latest analysis; null while the API has none (or the route has not landed). */
export function useAnalysis(id: string) {
  const refetchInterval = usePollInterval();
  return useQuery({
    queryKey: keys.analysis(id),
    queryFn: async () => {
      try {
        return await api.analysis(id);
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    refetchInterval,
  });
}
