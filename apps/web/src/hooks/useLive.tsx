// The tab's live connection as React context: status for the indicator, follow hooks for pages.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { LiveClient, type LiveStatus } from '../lib/live-client';
import { LiveCache } from '../lib/live-apply';

export interface LiveState {
  status: LiveStatus;
  retryAt: number | null;
  everConnected: boolean;
}

interface LiveContextValue {
  client: LiveClient | null;
  state: LiveState;
}

const LiveContext = createContext<LiveContextValue>({
  client: null,
  state: { status: 'connecting', retryAt: null, everConnected: false },
});

/** Poll every 5 s while the socket is not live, so pages still update without it. */
export const POLL_MS = 5000;

export function LiveProvider({ children, enabled }: { children: ReactNode; enabled: boolean }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: 'connecting', retryAt: null, everConnected: false });
  // Built during render (constructing opens nothing); the effect below connects and disconnects it, and
  // both are restartable, so a remount in StrictMode reuses them.
  const connection = useMemo(() => {
    if (!enabled) return null;
    const cache = new LiveCache(queryClient);
    const live = new LiveClient({
      onMessage: (message) => cache.apply(message),
      onCatchUp: (releaseIds, topics) => void cache.catchUp(releaseIds, topics.length > 0),
      onStatus: (status, detail) => setState({ status, ...detail }),
    });
    return { live, cache };
  }, [enabled, queryClient]);

  useEffect(() => {
    if (!connection) return;
    connection.live.start();
    return () => {
      connection.live.stop();
      connection.cache.stop();
    };
  }, [connection]);

  const client = connection?.live ?? null;
  const value = useMemo(() => ({ client, state }), [client, state]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(LiveContext).state;
}

/** How often a query should poll: never while live, every 5 s otherwise. */
export function usePollInterval(): number | false {
  return useLiveState().status === 'live' ? false : POLL_MS;
}

export function useFollowRelease(id: string | undefined): void {
  const { client } = useContext(LiveContext);
  useEffect(() => {
    if (!client || !id) return;
    return client.followRelease(id);
  }, [client, id]);
}

export function useFollowReleases(): void {
  const { client } = useContext(LiveContext);
  useEffect(() => {
    if (!client) return;
    return client.followReleases();
  }, [client]);
}
