import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { usePollInterval } from './useLive';

export function useReleaseMessages(id: string) {
  const refetchInterval = usePollInterval();
  return useQuery({ queryKey: keys.messages(id), queryFn: () => api.messages(id), refetchInterval });
}
