import { useQuery } from '@tanstack/react-query';
import type { TStatusPage } from '@rampart/contracts';
import { describeError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { RelativeTime } from '../components/RelativeTime';
import { ErrorNote, Loading } from '../components/Section';
import { HealthBadge, StateBadge } from '../components/StatusPill';
import { formatPercent } from '../lib/format';

const ROLLUP: Record<TStatusPage['summary'], { icon: string; text: string; tone: string }> = {
  all_good: { icon: '✓', text: 'All good: no release is causing trouble', tone: 'good' },
  rolling_out: { icon: '▶', text: 'Rolling out: a release is in progress and healthy', tone: 'info' },
  degraded: { icon: '!', text: 'Degraded: a release in progress looks unhealthy', tone: 'bad' },
  rolling_back: { icon: '↺', text: 'Rolling back: a release is being undone', tone: 'bad' },
};

/** For support, without login: a rollup line, then each release in words. Polls every 5 s. */
export function StatusPage() {
  const status = useQuery({ queryKey: keys.status, queryFn: api.status, refetchInterval: 5000, refetchIntervalInBackground: false });
  return (
    <main className="status-page" id="main">
      <header className="status-top">
        <span className="brand">
          <span aria-hidden="true" className="brand-mark">
            ◢
          </span>{' '}
          Rampart status
        </span>
        <a href="/login" className="small">
          Sign in
        </a>
      </header>
      {status.isPending ? (
        <Loading what="status" />
      ) : status.isError ? (
        <ErrorNote>{describeError(status.error)}</ErrorNote>
      ) : (
        <>
          <p className={`rollup rollup-${ROLLUP[status.data.summary].tone}`} role="status" data-testid="rollup">
            <span aria-hidden="true" className="rollup-icon">
              {ROLLUP[status.data.summary].icon}
            </span>
            {ROLLUP[status.data.summary].text}
          </p>
          <p className="muted small">
            Updated <RelativeTime iso={status.data.generatedAt} /> · refreshes on its own
          </p>
          <h2>In progress</h2>
          {status.data.active.length === 0 ? <p className="muted">No release in progress.</p> : <StatusList items={status.data.active} />}
          <h2>Recently finished</h2>
          {status.data.recent.length === 0 ? <p className="muted">Nothing finished recently.</p> : <StatusList items={status.data.recent} />}
        </>
      )}
    </main>
  );
}

function StatusList({ items }: { items: TStatusPage['active'] }) {
  return (
    <ul className="status-list">
      {items.map((r) => (
        <li key={r.id} className="status-item" data-testid="status-release">
          <div className="status-name">
            <strong>{r.service}</strong> <span className="version">{r.version}</span>
          </div>
          <div className="status-badges">
            <StateBadge state={r.state} />
            <HealthBadge health={r.health} />
          </div>
          <div className="muted small">
            {r.stage ? `${r.stage} · ` : ''}
            {formatPercent(r.percent)} of traffic · updated <RelativeTime iso={r.updatedAt} />
          </div>
        </li>
      ))}
    </ul>
  );
}
