import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TPage } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { refreshAroundRelease, usePeople } from '../../hooks/useIncidents';
import { groupByRole, pageState } from '../../lib/incidents';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote, Loading } from '../Section';
import { StatusPill } from '../StatusPill';

/** Who the release names, by role (on-call first in list order), and the pages sent to them. */
export function PeoplePanel({ releaseId }: { releaseId: string }) {
  const people = usePeople(releaseId);
  if (people.isPending) return <Loading what="people" />;
  if (people.data === undefined) return <ErrorNote>{describeError(people.error)}</ErrorNote>;
  const { contacts, pages } = people.data;
  const waiting = pages.filter((p) => pageState(p) !== 'acknowledged');
  return (
    <div className="people">
      {contacts.length === 0 ? (
        <p className="muted">This release names no contacts: nobody is paged.</p>
      ) : (
        <dl className="contacts" data-testid="contacts">
          {groupByRole(contacts).map((group) => (
            <div key={group.role} className="contact-group">
              <dt>{group.role}</dt>
              {group.people.map((c) => (
                <dd key={`${c.name}-${c.email ?? ''}`}>
                  <strong>{c.name}</strong>
                  {c.onCall ? (
                    <>
                      {' '}
                      <StatusPill tone="info" icon="☎" label="On call" />
                    </>
                  ) : null}
                  {c.email ? (
                    <>
                      {' '}
                      · <a href={`mailto:${c.email}`}>{c.email}</a>
                    </>
                  ) : null}
                  {c.phone ? (
                    <>
                      {' '}
                      · <a href={`tel:${c.phone.replace(/[^+\d]/g, '')}`}>{c.phone}</a>
                    </>
                  ) : null}
                </dd>
              ))}
            </div>
          ))}
        </dl>
      )}
      <h3 className="people-pages-title">
        Pages{' '}
        {waiting.length ? (
          <span className="muted small">({waiting.length} not acknowledged)</span>
        ) : null}
      </h3>
      {pages.length === 0 ? (
        <p className="muted">Nobody has been paged for this release.</p>
      ) : (
        <ul className="pages" data-testid="pages">
          {pages.map((page) => (
            <PageRow key={page.id} page={page} />
          ))}
        </ul>
      )}
    </div>
  );
}

const PAGE_PILL = {
  waiting: { tone: 'bad', icon: '☎', label: 'Waiting for acknowledgement' },
  escalated: { tone: 'warn', icon: '⤵', label: 'Escalated' },
  acknowledged: { tone: 'good', icon: '✓', label: 'Acknowledged' },
} as const;

function PageRow({ page }: { page: TPage }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = pageState(page);
  const pill = PAGE_PILL[state];
  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.acknowledgePage(page.releaseId, page.id);
      await refreshAroundRelease(queryClient, page.releaseId);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="page-row" data-testid="page">
      <div className="row">
        <StatusPill tone={pill.tone} icon={pill.icon} label={pill.label} />
        <span>
          <strong>{page.contactName}</strong> <span className="muted">({page.contactRole})</span>
          {page.level > 0 ? <span className="muted small"> · escalation {page.level}</span> : null}
        </span>
      </div>
      <p className="small page-meta">
        {page.reason} · paged <RelativeTime iso={page.pagedAt} />
        {page.acknowledgedAt ? (
          <>
            {' '}
            · acknowledged{page.acknowledgedBy ? ` by ${page.acknowledgedBy}` : ''} <RelativeTime iso={page.acknowledgedAt} />
          </>
        ) : page.escalatedAt ? (
          <>
            {' '}
            · escalated <RelativeTime iso={page.escalatedAt} />
          </>
        ) : null}
      </p>
      {state !== 'acknowledged' ? (
        <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void acknowledge()}>
          {busy ? 'Acknowledging…' : 'Acknowledge'}
          <span className="visually-hidden"> the page to {page.contactName}</span>
        </button>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </li>
  );
}
