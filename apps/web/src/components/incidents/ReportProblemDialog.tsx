import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TIncidentScale, TIncidentSeverity, TProblemKind, TReportIncidentBody } from '@rampart/contracts';
import { ApiError, describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { refreshAroundRelease } from '../../hooks/useIncidents';
import { ACTION_WORDS, KIND_LABELS, KIND_ORDER, severitiesFor } from '../../lib/incidents';
import { Dialog } from '../Dialog';
import { ErrorNote } from '../Section';

type Field = 'kind' | 'severity' | 'title' | 'detail' | 'publicNote' | 'link';

/** The API names the field it refused ("severity", "body.link"...): the form marks that field. */
function fieldOf(error: unknown): Field | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  const last = error.field.split('.').pop() ?? '';
  return (['kind', 'severity', 'title', 'detail', 'publicNote', 'link'] as const).find((f) => f === last) ?? null;
}

/** The playbook's response, if the answer says what it was: a person should know what their report did. */
function actionOf(answer: unknown): string | null {
  const record = answer as { action?: unknown; incident?: { action?: unknown } } | null;
  const action = record?.action ?? record?.incident?.action;
  return typeof action === 'string' && action in ACTION_WORDS ? ACTION_WORDS[action as keyof typeof ACTION_WORDS] : null;
}

/**
 * Anyone signed in reports a problem here. A severity is asked for only when the kind is an incident, from
 * the playbook's own scale; the private detail stays inside Rampart, the public note may go to the status page.
 */
export function ReportProblemDialog({
  releaseId,
  scale,
  onClose,
  onReported,
}: {
  releaseId: string;
  scale: TIncidentScale | null;
  onClose: () => void;
  onReported: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const severities = severitiesFor(scale);
  const [kind, setKind] = useState<TProblemKind>('security');
  const [severity, setSeverity] = useState<TIncidentSeverity | ''>('');
  const [title, setTitle] = useState('');
  const [detail, setDetail] = useState('');
  const [publicNote, setPublicNote] = useState('');
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field: Field | null } | null>(null);
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError({ text: 'Give the problem a title.', field: 'title' });
      return;
    }
    if (kind === 'incident' && !severity) {
      setError({ text: `An incident needs a severity from the playbook's scale (${severities.join(', ')}).`, field: 'severity' });
      return;
    }
    const body: TReportIncidentBody = {
      kind,
      title: title.trim(),
      ...(kind === 'incident' && severity ? { severity } : {}),
      ...(detail.trim() ? { detail: detail.trim() } : {}),
      ...(publicNote.trim() ? { publicNote: publicNote.trim() } : {}),
      ...(link.trim() ? { link: link.trim() } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      const answer = await api.reportIncident(releaseId, body);
      await refreshAroundRelease(queryClient, releaseId);
      const did = actionOf(answer);
      onReported(`Reported “${body.title}”.${did ? ` Rampart: ${did.charAt(0).toLowerCase()}${did.slice(1)}.` : ''}`);
      onClose();
    } catch (e) {
      setError({ text: describeError(e), field: fieldOf(e) });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (field: Field) =>
    error?.field === field ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};

  return (
    <Dialog open title="Report a problem" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="dialog-body" noValidate>
        <p className="muted small">
          The playbook decides what a report does: notify, hold the next ramp, pause, or roll back.
        </p>
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as TProblemKind)} {...invalid('kind')}>
            {KIND_ORDER.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {kind === 'incident' ? (
          <label className="field">
            <span>
              Severity <strong>(required)</strong>
            </span>
            <select value={severity} onChange={(e) => setSeverity(e.target.value as TIncidentSeverity | '')} required {...invalid('severity')}>
              <option value="">Choose a severity…</option>
              {severities.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>
            Title <strong>(required)</strong>
          </span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required {...invalid('title')} />
        </label>
        <label className="field">
          <span>
            Detail <span className="muted">(private: signed-in people only)</span>
          </span>
          <textarea value={detail} onChange={(e) => setDetail(e.target.value)} rows={3} maxLength={5000} {...invalid('detail')} />
        </label>
        <label className="field">
          <span>
            Public note <span className="muted">(shown on the public status page)</span>
          </span>
          <textarea value={publicNote} onChange={(e) => setPublicNote(e.target.value)} rows={2} maxLength={1000} {...invalid('publicNote')} />
        </label>
        <label className="field">
          <span>
            Link <span className="muted">(optional: ticket, alert, dashboard)</span>
          </span>
          <input type="url" inputMode="url" value={link} onChange={(e) => setLink(e.target.value)} placeholder="https://" {...invalid('link')} />
        </label>
        {error ? (
          <div id={errorId}>
            <ErrorNote>{error.text}</ErrorNote>
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            {busy ? 'Reporting…' : 'Report'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
