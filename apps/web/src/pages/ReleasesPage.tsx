import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { TReleaseState, TReleaseSummary } from '@rampart/contracts';
import { describeError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { NeedsYou } from '../components/NeedsYou';
import { OfflineBanner } from '../components/OfflineBanner';
import { RelativeTime } from '../components/RelativeTime';
import { ErrorNote, Loading, Section } from '../components/Section';
import { HealthBadge, StateBadge } from '../components/StatusPill';
import { useFollowReleases, usePollInterval } from '../hooks/useLive';
import { useMe } from '../hooks/useMe';
import { useOfflineSince } from '../hooks/useOfflineSince';
import { STATE_INFO, STATE_ORDER, formatTraffic, stateRank } from '../lib/format';

/** Health comes from the public status page, which rolls up each active release's gate verdicts. */
function useHealthById() {
  const refetchInterval = usePollInterval();
  const status = useQuery({ queryKey: keys.status, queryFn: api.status, refetchInterval });
  return useMemo(() => {
    const map = new Map<string, 'healthy' | 'degraded' | 'unknown'>();
    for (const r of [...(status.data?.active ?? []), ...(status.data?.recent ?? [])]) map.set(r.id, r.health);
    return map;
  }, [status.data]);
}

export function sortReleases(list: TReleaseSummary[]): TReleaseSummary[] {
  return [...list].sort((a, b) => stateRank(a.state) - stateRank(b.state) || b.updatedAt.localeCompare(a.updatedAt));
}

export function ReleasesPage() {
  useFollowReleases();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? '';
  const service = params.get('service') ?? '';
  const refetchInterval = usePollInterval();
  const filters = { ...(state ? { state } : {}), ...(service ? { service } : {}) };
  const releases = useQuery({ queryKey: keys.releases(filters), queryFn: () => api.releases(filters), refetchInterval });
  const health = useHealthById();
  const offlineSince = useOfflineSince(releases);
  const setFilter = (name: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const sorted = useMemo(() => sortReleases(releases.data?.releases ?? []), [releases.data]);

  return (
    <div className="releases-page">
      <OfflineBanner since={offlineSince} />
      <h1>Releases</h1>
      {me.data ? <NeedsYou me={me.data} /> : null}
      <Section
        title="All releases"
        actions={
          <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <label className="inline-field">
              <span>State</span>
              <select value={state} onChange={(e) => setFilter('state', e.target.value)}>
                <option value="">Any</option>
                <option value="running,paused,rolling_back">Active</option>
                {STATE_ORDER.map((s: TReleaseState) => (
                  <option key={s} value={s}>
                    {STATE_INFO[s].label}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              <span>Service</span>
              <input
                type="search"
                defaultValue={service}
                placeholder="exact name"
                onKeyDown={(e) => {
                  if (e.key === 'Enter') setFilter('service', e.currentTarget.value.trim());
                }}
                onBlur={(e) => setFilter('service', e.currentTarget.value.trim())}
              />
            </label>
          </form>
        }
      >
        {releases.isPending ? (
          <Loading what="releases" />
        ) : !releases.data ? (
          <ErrorNote>{describeError(releases.error)}</ErrorNote>
        ) : sorted.length === 0 ? (
          <p className="muted">
            No releases{state || service ? ' match these filters' : ' yet'}. <Link to="/releases/new">Create one</Link>.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table releases">
              <thead>
                <tr>
                  <th scope="col">Release</th>
                  <th scope="col">State</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Traffic</th>
                  <th scope="col">Health</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Age</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => (
                  <tr key={r.id} data-testid="release-row">
                    <td>
                      <Link to={`/releases/${r.id}`}>
                        <strong>{r.service}</strong> {r.version}
                      </Link>
                    </td>
                    <td>
                      <StateBadge state={r.state} />
                    </td>
                    <td>
                      {r.currentStage ? `${r.currentStage.name} (${r.currentStage.position + 1}/${r.stageCount})` : `— (0/${r.stageCount})`}
                    </td>
                    <td>{formatTraffic(r.desiredPercent, r.acknowledgedPercent)}</td>
                    <td>
                      <HealthBadge health={health.get(r.id) ?? 'unknown'} />
                    </td>
                    <td>{r.owner.name}</td>
                    <td>
                      <RelativeTime iso={r.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
