import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TIncident, TUpdateIncidentBody } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { refreshAroundRelease } from '../../hooks/useIncidents';
import { ACTION_WORDS, KIND_LABELS, STATUS_BUTTON, STATUS_INFO, nextStatuses, severityTone } from '../../lib/incidents';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote } from '../Section';
import { StatusPill } from '../StatusPill';

/** One problem on a release: what, how bad, where it stands, who has it, what Rampart did; and its controls. */
export function IncidentItem({ incident, editable }: { incident: TIncident; editable: boolean }) {
  const queryClient = useQueryClient();
  const status = STATUS_INFO[incident.status];
  const [handler, setHandler] = useState(incident.handler ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const handlerId = useId();

  const update = async (body: TUpdateIncidentBody) => {
    setBusy(true);
    setError(null);
    try {
      await api.updateIncident(incident.releaseId, incident.id, body);
      await refreshAroundRelease(queryClient, incident.releaseId);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const saveHandler = (event: FormEvent) => {
    event.preventDefault();
    if (!handler.trim()) {
      setError('Name who handles it.');
      return;
    }
    void update({ handler: handler.trim() });
  };

  return (
    <li className={`incident incident-${incident.status}`} aria-labelledby={headingId} data-testid="incident">
      <div className="incident-head">
        {incident.severity ? (
          <StatusPill tone={severityTone(incident.severity)} icon="▲" label={incident.severity} title="Severity" />
        ) : null}
        <h3 id={headingId} className="incident-title">
          {incident.title}
        </h3>
        <StatusPill tone={status.tone} icon={status.icon} label={status.label} />
      </div>
      <dl className="incident-facts">
        <div>
          <dt>Kind</dt>
          <dd>{KIND_LABELS[incident.kind]}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <RelativeTime iso={incident.startedAt} />
          </dd>
        </div>
        <div>
          <dt>Handler</dt>
          <dd>{incident.handler ?? <span className="muted">nobody assigned yet</span>}</dd>
        </div>
        <div>
          <dt>Rampart</dt>
          <dd data-testid="incident-action">{ACTION_WORDS[incident.action]}</dd>
        </div>
        <div>
          <dt>Reported</dt>
          <dd>
            {incident.source === 'alert' ? 'by an alert' : `by ${incident.reportedBy}`}
          </dd>
        </div>
        {incident.resolvedAt ? (
          <div>
            <dt>Resolved</dt>
            <dd>
              <RelativeTime iso={incident.resolvedAt} />
            </dd>
          </div>
        ) : incident.mitigatedAt ? (
          <div>
            <dt>Mitigated</dt>
            <dd>
              <RelativeTime iso={incident.mitigatedAt} />
            </dd>
          </div>
        ) : null}
      </dl>
      {incident.detail ? (
        <p className="incident-detail">
          <span className="muted small">Detail (private): </span>
          {incident.detail}
        </p>
      ) : null}
      <p className="small">
        <span className="muted">Public note: </span>
        {incident.publicNote ?? <span className="muted">none (the status page says only that an incident is open)</span>}
        {incident.link ? (
          <>
            {' '}
            ·{' '}
            <a href={incident.link} target="_blank" rel="noreferrer noopener">
              Link
              <span className="visually-hidden"> for {incident.title}</span>
            </a>
          </>
        ) : null}
      </p>
      {editable ? (
        <div className="incident-controls">
          <div className="row" role="group" aria-label={`Status of ${incident.title}`}>
            {nextStatuses(incident.status).map((next) => (
              <button
                key={next}
                type="button"
                className="btn btn-small"
                disabled={busy}
                onClick={() => void update({ status: next })}
              >
                {STATUS_BUTTON[next]}
                <span className="visually-hidden">: {incident.title}</span>
              </button>
            ))}
          </div>
          <form className="row handler-form" onSubmit={saveHandler}>
            <label htmlFor={handlerId} className="small">
              Handler
            </label>
            <input id={handlerId} value={handler} onChange={(e) => setHandler(e.target.value)} maxLength={200} placeholder="who handles it" />
            <button type="submit" className="btn btn-small" disabled={busy || handler.trim() === (incident.handler ?? '')}>
              Save<span className="visually-hidden"> handler for {incident.title}</span>
            </button>
          </form>
        </div>
      ) : null}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </li>
  );
}
