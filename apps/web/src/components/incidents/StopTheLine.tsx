import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { useFreeze } from '../../hooks/useFreeze';
import { Dialog } from '../Dialog';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote, Loading } from '../Section';

/** The admin's change freeze: it blocks every start and ramp with a blocker that names its reason. */
export function StopTheLine() {
  const queryClient = useQueryClient();
  const freeze = useFreeze();
  const [reason, setReason] = useState('');
  const [confirmLift, setConfirmLift] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: keys.freeze });
    // Every release's start and ramp buttons change with it.
    await queryClient.invalidateQueries({ queryKey: ['release'] });
  };

  const stop = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Say why the line stops: every blocked release shows it.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.startFreeze(reason.trim());
      setReason('');
      await refresh();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const lift = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.endFreeze();
      setConfirmLift(false);
      await refresh();
    } catch (e) {
      setConfirmLift(false);
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  if (freeze.isPending) return <Loading what="the freeze" />;
  if (freeze.isError && freeze.data === undefined) return <ErrorNote>{describeError(freeze.error)}</ErrorNote>;
  const active = freeze.data ?? null;
  return (
    <div className="stop-the-line" data-testid="stop-the-line">
      {active ? (
        <>
          <p>
            <strong>The line is stopped</strong> since <RelativeTime iso={active.startedAt} />, by {active.startedBy}: “{active.reason}”.
            No release may start or ramp; pausing and rolling back still work.
          </p>
          <button type="button" className="btn" onClick={() => setConfirmLift(true)} disabled={busy}>
            Lift the freeze
          </button>
        </>
      ) : (
        <form className="form" onSubmit={(e) => void stop(e)}>
          <p className="muted small">
            A change freeze blocks every start and ramp of every release until it is lifted. Pausing and rolling back are never blocked.
          </p>
          <label className="field">
            <span>
              Reason <strong>(required)</strong>
            </span>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={500} required />
          </label>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            {busy ? 'Stopping…' : 'Stop the line'}
          </button>
        </form>
      )}
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      <Dialog open={confirmLift} title="Lift the freeze?" onClose={() => setConfirmLift(false)}>
        <div className="dialog-body">
          <p>Releases may start and ramp again, as their playbooks and windows allow.</p>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setConfirmLift(false)}>
              Cancel
            </button>
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void lift()}>
              {busy ? 'Lifting…' : 'Lift the freeze'}
            </button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
