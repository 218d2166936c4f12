import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { TRelease } from '@rampart/contracts';
import { ApiError, describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { applySummary } from '../../lib/live-apply';
import { formatPercent } from '../../lib/format';
import { reachedPercent, suggestedReopenPercent } from '../../lib/rollback';
import { Dialog } from '../Dialog';
import { ErrorNote } from '../Section';

/**
 * A rolled-back release comes back as a new attempt, linked to this one, starting below the traffic this
 * attempt reached (seed 000: "reopen canary at smaller percentage"), optionally with a fixed version.
 */
export function ReopenDialog({ release, onClose }: { release: TRelease; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const reached = reachedPercent(release);
  const [percent, setPercent] = useState(String(suggestedReopenPercent(reached)));
  const [version, setVersion] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field: string | null } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trafficPercent = Number(percent);
    if (!Number.isFinite(trafficPercent) || trafficPercent <= 0 || trafficPercent >= reached) {
      setError({ text: `The first stage's traffic must be above 0% and below the ${formatPercent(reached)} this attempt reached.`, field: 'trafficPercent' });
      return;
    }
    if (!reason.trim()) {
      setError({ text: 'Say what was fixed: it goes into both attempts\u2019 event logs.', field: 'reason' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await api.reopen(release.id, {
        trafficPercent,
        reason: reason.trim(),
        ...(version.trim() ? { version: version.trim() } : {}),
      });
      queryClient.setQueryData(keys.release(next.id), next);
      applySummary(queryClient, next);
      void queryClient.invalidateQueries({ queryKey: keys.release(release.id) });
      void queryClient.invalidateQueries({ queryKey: keys.events(release.id) });
      onClose();
      await navigate(`/releases/${next.id}`);
    } catch (e) {
      setError({ text: describeError(e), field: e instanceof ApiError ? (e.field?.split('.').pop() ?? null) : null });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (field: string) => (error?.field === field ? { 'aria-invalid': true as const } : {});
  return (
    <Dialog open title="Reopen at a smaller percentage?" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="dialog-body" noValidate>
        <p>
          <strong>
            {release.service} {release.version}
          </strong>{' '}
          reached {formatPercent(reached)} before it was rolled back. The new attempt is a release of its own, linked to this one,
          not started, with the playbook's checklist and sign-offs to do again.
        </p>
        <label className="field">
          <span>First stage's traffic (%), below {formatPercent(reached)}</span>
          <input
            type="number"
            inputMode="decimal"
            min={0.01}
            max={reached}
            step="any"
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
            required
            {...invalid('trafficPercent')}
          />
        </label>
        <label className="field">
          <span>
            Version <span className="muted">(optional: the fixed build; omitted, {release.version} again)</span>
          </span>
          <input value={version} onChange={(e) => setVersion(e.target.value)} maxLength={100} {...invalid('version')} />
        </label>
        <label className="field">
          <span>
            What was fixed <strong>(required)</strong>
          </span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} required {...invalid('reason')} />
        </label>
        {error ? <ErrorNote>{error.text}</ErrorNote> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Reopening…' : 'Reopen as a new attempt'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
