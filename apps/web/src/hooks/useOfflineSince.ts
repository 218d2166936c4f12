import { useState } from 'react';
import { viewOf, nextOfflineSince } from '../lib/offline';

interface TQueryLike {
  isPending: boolean;
  isError: boolean;
  data: unknown;
  error: unknown;
  errorUpdatedAt: number;
}

/** Browser time at which a query with data first failed to reach the server; null while it answers. */
export function useOfflineSince(query: TQueryLike): number | null {
  const view = viewOf(query);
  const offline = view.kind === 'data' && view.offline;
  const [since, setSince] = useState<number | null>(null);
  const next = nextOfflineSince(since, offline, query.errorUpdatedAt);
  // Adjusted during render (React's pattern for state derived from changing input), so the banner shows on
  // the same render as the failure.
  if (next !== since) setSince(next);
  return next;
}
