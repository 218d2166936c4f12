import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { useFollowRelease, usePollInterval } from './useLive';

/** One release, followed over the live socket (or polled every 5 s without it). */
export function useRelease(id: string) {
  useFollowRelease(id);
  const refetchInterval = usePollInterval();
  return useQuery({ queryKey: keys.release(id), queryFn: () => api.release(id), refetchInterval });
}
