import { useQueries, useQuery } from '@tanstack/react-query';
import type { TMe, TRelease } from '@rampart/contracts';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { canSign } from '../components/release/ApprovalsPanel';
import { summariseBlockers } from '../lib/format';
import { usePollInterval } from './useLive';

export interface NeedItem {
  release: TRelease;
  why: string;
  kind: 'signoff' | 'paused' | 'blocked' | 'failing';
}

const OPEN_STATES = 'draft,ready,running,paused,rolling_back';

/** What needs the signed-in person: their sign-offs, and their own releases paused, blocked or failing. */
export function needsOf(me: TMe, releases: TRelease[], degraded: Set<string>): NeedItem[] {
  const items: NeedItem[] = [];
  for (const release of releases) {
    for (const req of release.approvals.required) {
      if (req.satisfied || req.approvedBy.some((u) => u.id === me.id) || req.rejectedBy.some((u) => u.id === me.id)) continue;
      if (!canSign(me, release, req)) continue;
      const stage = req.stageKey ? release.stages.find((s) => s.key === req.stageKey)?.name ?? req.stageKey : 'start';
      items.push({ release, kind: 'signoff', why: `Your ${req.role} sign-off is needed before ${stage}` });
    }
    if (release.owner.id !== me.id) continue;
    if (release.state === 'paused') items.push({ release, kind: 'paused', why: 'Paused: resume or roll back' });
    if (degraded.has(release.id)) items.push({ release, kind: 'failing', why: 'A gate is failing' });
    const next = release.actions.find((a) => (a.action === 'ramp' || a.action === 'start') && a.legal && !a.allowed);
    if (next && release.state !== 'paused') {
      items.push({ release, kind: 'blocked', why: `Blocked: ${summariseBlockers(next.blockers)[0] ?? next.reason ?? 'see the release'}` });
    }
  }
  return items;
}

export function useNeedsYou(me: TMe) {
  const refetchInterval = usePollInterval();
  const open = useQuery({ queryKey: keys.releases({ state: OPEN_STATES }), queryFn: () => api.releases({ state: OPEN_STATES }), refetchInterval });
  const status = useQuery({ queryKey: keys.status, queryFn: api.status, refetchInterval });
  // The list carries no approvals or blockers, so look at the open releases that could concern this person.
  const candidates = (open.data?.releases ?? [])
    .filter((r) => r.owner.id === me.id || (me.approvalRoles.length > 0 && r.owner.id !== me.id))
    .slice(0, 25);
  const details = useQueries({
    queries: candidates.map((r) => ({
      queryKey: keys.release(r.id),
      queryFn: () => api.release(r.id),
      staleTime: 5000,
      refetchInterval,
    })),
  });
  const releases = details.map((d) => d.data).filter((d): d is TRelease => !!d);
  const degraded = new Set((status.data?.active ?? []).filter((r) => r.health === 'degraded').map((r) => r.id));
  return { items: needsOf(me, releases, degraded), loading: open.isPending };
}
