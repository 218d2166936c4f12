import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';

/** The live channel may not announce a freeze: every page polls for it. */
export const FREEZE_POLL_MS = 15_000;

export function useFreeze(enabled = true) {
  return useQuery({ queryKey: keys.freeze, queryFn: api.freeze, refetchInterval: FREEZE_POLL_MS, enabled });
}
