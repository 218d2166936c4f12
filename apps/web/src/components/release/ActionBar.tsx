import { useState } from 'react';
import type { TActionAvailability, TRelease, TReleaseAction } from '@rampart/contracts';
import { useMe } from '../../hooks/useMe';
import { useNow } from '../../hooks/useNow';
import { withLiveBake } from '../../lib/bake';
import { withOwnership } from '../../lib/ownership';
import { summariseBlockers } from '../../lib/format';
import { ActionDialog, type ActionOutcome } from './ActionDialog';
import { actionLabel } from './actionText';

const ORDER: TReleaseAction[] = ['start', 'ramp', 'resume', 'pause', 'complete', 'rollback', 'abort'];

/**
 * The legal actions, each disabled with its blockers spelled out, confirmed in a dialog. Offline, the
 * release shown may be out of date, so every action is disabled with that reason.
 */
export function ActionBar({ release, offline = false }: { release: TRelease; offline?: boolean }) {
  const [open, setOpen] = useState<{ action: TReleaseAction; force: boolean } | null>(null);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  // Ticks with the bake countdown beside it: the bake blocker is recomputed from `bakeEndsAt` every second.
  const now = useNow(1000);
  const me = useMe().data;
  const legal = ORDER.map((a) => release.actions.find((x) => x.action === a))
    .filter((a): a is TActionAvailability => !!a && a.legal)
    .map((a) => withOwnership(withLiveBake(a, release, now), release, me));
  if (legal.length === 0) {
    return (
      <div className="actions">
        <p className="muted">No action is possible in this state.</p>
        <Outcome outcome={outcome} onDismiss={() => setOutcome(null)} />
      </div>
    );
  }
  return (
    <div className="actions">
      <div className="action-buttons" role="group" aria-label="Release actions">
        {legal.map((a) => {
          const blockedId = `blockers-${a.action}`;
          const danger = a.action === 'rollback' || a.action === 'abort';
          return (
            <button
              key={a.action}
              type="button"
              className={`btn ${danger ? 'btn-danger-outline' : a.action === 'ramp' || a.action === 'start' ? 'btn-primary' : ''}`}
              disabled={offline || !a.allowed}
              aria-describedby={offline ? 'actions-offline' : a.allowed ? undefined : blockedId}
              onClick={() => {
                setOutcome(null);
                setOpen({ action: a.action, force: false });
              }}
            >
              {actionLabel(release, a.action)}
            </button>
          );
        })}
      </div>
      {offline ? (
        <p id="actions-offline" className="blockers" data-testid="actions-offline">
          <span aria-hidden="true">⊘ </span>
          The server cannot be reached, so what is shown may be out of date: actions are disabled until it answers again.
        </p>
      ) : null}
      {legal
        .filter((a) => !offline && !a.allowed)
        .map((a) => (
          <div key={a.action} id={`blockers-${a.action}`} className="blockers">
            <p>
              <strong>
                <span aria-hidden="true">⊘ </span>
                {actionLabel(release, a.action)} is blocked:
              </strong>
            </p>
            <ul>
              {summariseBlockers(a.blockers).map((line) => (
                <li key={line}>{line}</li>
              ))}
              {a.blockers.length === 0 && a.reason ? <li>{a.reason}</li> : null}
            </ul>
            {a.blockers.some((b) => b.kind === 'approval_missing' || b.kind === 'approval_rejected') ? (
              <p className="muted small">Sign-offs cannot be forced: only the approvers can give them.</p>
            ) : null}
            {a.forceable ? (
              <button
                type="button"
                className="btn btn-small btn-danger-outline"
                onClick={() => {
                  setOutcome(null);
                  setOpen({ action: a.action, force: true });
                }}
              >
                Force {actionLabel(release, a.action).toLowerCase()}…
              </button>
            ) : null}
          </div>
        ))}
      <Outcome outcome={outcome} onDismiss={() => setOutcome(null)} />
      {open ? (
        <ActionDialog
          release={release}
          action={open.action}
          force={open.force}
          onClose={() => setOpen(null)}
          onOutcome={setOutcome}
        />
      ) : null}
    </div>
  );
}

function Outcome({ outcome, onDismiss }: { outcome: ActionOutcome | null; onDismiss: () => void }) {
  if (!outcome) return <div aria-live="polite" />;
  if (outcome.kind === 'done') {
    return (
      <div className="note note-good" role="status">
        <span aria-hidden="true">✓ </span>
        {outcome.message}{' '}
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  if (outcome.kind === 'blocked') {
    return (
      <div className="note note-bad" role="alert">
        <strong>
          <span aria-hidden="true">⊘ </span>Blocked: {outcome.message}
        </strong>
        <ul>
          {outcome.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  return (
    <div className="note note-bad conflict" role="alert" data-testid="conflict">
      <strong>
        <span aria-hidden="true">⚠ </span>Someone else acted first.
      </strong>{' '}
      Nothing was done; the page now shows the release as it is. {outcome.message}
      <table className="changes">
        <caption className="visually-hidden">What changed</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">You saw</th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {outcome.changes.map((c) => (
            <tr key={c.label}>
              <th scope="row">{c.label}</th>
              <td>{c.before}</td>
              <td>
                <span aria-hidden="true">→ </span>
                {c.after}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
