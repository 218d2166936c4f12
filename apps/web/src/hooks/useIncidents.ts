import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { usePollInterval } from './useLive';

/** A release's incidents; the live stream invalidates them when an incident event arrives. */
export function useIncidents(releaseId: string) {
  const refetchInterval = usePollInterval();
  return useQuery({ queryKey: keys.incidents(releaseId), queryFn: () => api.incidents(releaseId), refetchInterval });
}

/** The people a release names and the pages sent to them. */
export function usePeople(releaseId: string) {
  const refetchInterval = usePollInterval();
  return useQuery({ queryKey: keys.people(releaseId), queryFn: () => api.people(releaseId), refetchInterval });
}

/**
 * After a report, an incident change or a page acknowledgement: the playbook's response may have paused or
 * rolled back the release, paged someone and sent a message, so everything the page shows of it is refetched.
 */
export async function refreshAroundRelease(queryClient: QueryClient, releaseId: string): Promise<void> {
  await Promise.all(
    [keys.incidents(releaseId), keys.people(releaseId), keys.release(releaseId), keys.events(releaseId), keys.messages(releaseId), keys.status].map(
      (queryKey) => queryClient.invalidateQueries({ queryKey }),
    ),
  );
}
