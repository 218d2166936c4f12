import { useQuery } from '@tanstack/react-query';
import type { TMe } from '@rampart/contracts';
import { ApiError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';

/** The signed-in person, or null when nobody is. */
export function useMe() {
  return useQuery<TMe | null>({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await api.me();
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'unauthenticated') return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function canAct(me: TMe | null | undefined): boolean {
  return me?.role === 'admin' || me?.role === 'release_owner';
}
