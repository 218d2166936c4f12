import { useQuery } from '@tanstack/react-query';
import type { TStatusPage, TStatusRelease } from '@rampart/contracts';
import { describeError } from '../api/client';
import { api } from '../api/endpoints';
import { keys } from '../api/keys';
import { OfflineBanner } from '../components/OfflineBanner';
import { RelativeTime } from '../components/RelativeTime';
import { ErrorNote, Loading } from '../components/Section';
import { HealthBadge, StateBadge, StatusPill } from '../components/StatusPill';
import { useOfflineSince } from '../hooks/useOfflineSince';
import { formatPercent } from '../lib/format';
import { STATUS_INFO, severityTone } from '../lib/incidents';
import { rollupOf } from '../lib/status-rollup';

/** For support, without login: a rollup line, then each release in words. Polls every 5 s. */
export function StatusPage() {
  const status = useQuery({ queryKey: keys.status, queryFn: api.status, refetchInterval: 5000, refetchIntervalInBackground: false });
  const offlineSince = useOfflineSince(status);
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
      ) : !status.data ? (
        <ErrorNote>{describeError(status.error)}</ErrorNote>
      ) : (
        <>
          <OfflineBanner since={offlineSince} />
          <Rollup active={status.data.active} recent={status.data.recent} />
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

/** The banner, from the same health words and incidents as the cards below it. */
function Rollup({ active, recent }: { active: TStatusPage['active']; recent: TStatusPage['recent'] }) {
  const rollup = rollupOf(active, recent);
  return (
    <p className={`rollup rollup-${rollup.tone}`} role="status" data-testid="rollup" data-rollup={rollup.kind}>
      <span aria-hidden="true" className="rollup-icon">
        {rollup.icon}
      </span>
      {rollup.text}
    </p>
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
          <StatusIncidents incidents={r.incidents} />
          {r.message ? (
            <section className="status-message" aria-label={`Latest update on ${r.service}`} data-testid="status-message">
              <h3>{r.message.title}</h3>
              <p>{r.message.text}</p>
              <p className="muted small">
                Posted <RelativeTime iso={r.message.sentAt} />
              </p>
            </section>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The public lines of a release's incidents, unresolved first: never a title, detail or handler. */
function StatusIncidents({ incidents }: { incidents: TStatusRelease['incidents'] }) {
  if (incidents.length === 0) return null;
  const ordered = [...incidents.filter((i) => i.status !== 'resolved'), ...incidents.filter((i) => i.status === 'resolved')];
  return (
    <ul className="status-incidents" aria-label="Incidents" data-testid="status-incidents">
      {ordered.map((incident) => {
        const info = STATUS_INFO[incident.status];
        return (
          <li key={`${incident.startedAt}-${incident.note}`} className={`status-incident status-incident-${incident.status}`}>
            <span className="status-badges">
              <StatusPill tone={info.tone} icon={info.icon} label={`Incident ${info.label.toLowerCase()}`} />
              {incident.severity ? <StatusPill tone={severityTone(incident.severity)} icon="▲" label={incident.severity} /> : null}
            </span>{' '}
            <span>{incident.note}</span>{' '}
            <span className="muted small">
              · since <RelativeTime iso={incident.startedAt} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}
