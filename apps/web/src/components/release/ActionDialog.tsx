import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TRelease, TReleaseAction } from '@rampart/contracts';
import { ApiError, describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { applySummary } from '../../lib/live-apply';
import { Dialog } from '../Dialog';
import { ErrorNote } from '../Section';
import { actionConsequence, actionLabel, describeChanges, type ReleaseChange } from './actionText';

export type ActionOutcome =
  | { kind: 'done'; message: string }
  | { kind: 'conflict'; message: string; changes: ReleaseChange[] }
  | { kind: 'blocked'; message: string; blockers: string[] };

/**
 * Confirms one action. The revision is the one the person saw when opening the dialog, so if someone
 * else acts meanwhile the server answers 409 and we show what changed.
 */
export function ActionDialog({
  release,
  action,
  force,
  onClose,
  onOutcome,
}: {
  release: TRelease;
  action: TReleaseAction;
  force: boolean;
  onClose: () => void;
  onOutcome: (outcome: ActionOutcome) => void;
}) {
  const queryClient = useQueryClient();
  const [seen] = useState(release);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const needsReason = force || action === 'rollback';
  const label = actionLabel(seen, action);
  const title = force ? `Force: ${label}?` : `${label}?`;

  const store = (next: TRelease) => {
    queryClient.setQueryData(keys.release(next.id), next);
    applySummary(queryClient, next);
    void queryClient.invalidateQueries({ queryKey: keys.events(next.id) });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (needsReason && !reason.trim()) {
      setError('Give a reason: it goes into the event log.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await api.act(seen.id, action, {
        expectedRevision: seen.revision,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(force ? { force: true } : {}),
      });
      store(next);
      onOutcome({ kind: 'done', message: `${label}: done. The release is now at revision ${next.revision}.` });
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.release && e.kind === 'conflict') {
        store(e.release);
        onOutcome({ kind: 'conflict', message: e.message, changes: describeChanges(seen, e.release) });
        onClose();
      } else if (e instanceof ApiError && e.release && e.kind === 'blocked') {
        store(e.release);
        onOutcome({ kind: 'blocked', message: e.message, blockers: e.blockers.map((b) => b.message) });
        onClose();
      } else {
        setError(describeError(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="dialog-body">
        <p>
          <strong>
            {seen.service} {seen.version}
          </strong>
          : {actionConsequence(seen, action)}
        </p>
        {force ? (
          <p className="note note-warn">
            <span aria-hidden="true">! </span>Forcing skips the blockers listed on the page. Your reason is recorded.
          </p>
        ) : null}
        <label className="field">
          <span>
            Reason {needsReason ? <strong>(required)</strong> : <span className="muted">(optional)</span>}
          </span>
          <textarea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={3}
            required={needsReason}
            maxLength={2000}
          />
        </label>
        {error ? <ErrorNote>{error}</ErrorNote> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`btn ${action === 'rollback' || action === 'abort' || force ? 'btn-danger' : 'btn-primary'}`}
            disabled={busy}
          >
            {busy ? 'Working…' : force ? `Force ${label.toLowerCase()}` : label}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
