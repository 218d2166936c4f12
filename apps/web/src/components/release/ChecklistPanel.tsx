import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TChecklistItem, TChecklistStatus, TMe, TRelease } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { applySummary } from '../../lib/live-apply';
import { roleLabel } from '../../lib/format';
import { procedureOf, procedureText, rollbackFirst } from '../../lib/rollback';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote } from '../Section';

type Phase = { phase: TChecklistItem['phase']; title: string };
const ROLLBACK_PHASE: Phase = { phase: 'on_rollback', title: 'Rollback procedure' };
const PHASES: Phase[] = [
  { phase: 'before_start', title: 'Before start' },
  { phase: 'stage', title: 'During the stages' },
  { phase: 'after_completion', title: 'After completion' },
  ROLLBACK_PHASE,
];

const STATUS_INFO: Record<TChecklistStatus, { icon: string; label: string }> = {
  open: { icon: '☐', label: 'Open' },
  done: { icon: '☑', label: 'Done' },
  skipped: { icon: '⤼', label: 'Skipped' },
};

const FINISHED = ['completed', 'rolled_back', 'aborted'];

/** The phase that can still change once a release has finished: completion's follow-up, or the rollback's procedure. */
function openAfterFinish(release: TRelease, item: TChecklistItem): boolean {
  return item.phase === 'after_completion' || (item.phase === 'on_rollback' && rollbackFirst(release));
}

function mayUpdate(me: TMe, release: TRelease, item: TChecklistItem): boolean {
  if (item.phase === 'on_rollback' && !rollbackFirst(release)) return false;
  if (FINISHED.includes(release.state) && !openAfterFinish(release, item)) return false;
  if (me.role === 'admin' || me.role === 'release_owner') return true;
  return me.approvalRoles.some((role) => role === item.ownerRole);
}

/** The phase the release is in is unfolded; after a rollback, only its procedure is. */
function openByDefault(phase: TChecklistItem['phase'], release: TRelease): boolean {
  if (rollbackFirst(release)) return phase === 'on_rollback';
  if (phase === 'before_start') return ['draft', 'ready'].includes(release.state);
  if (phase === 'stage') return !['draft', 'ready'].includes(release.state);
  if (phase === 'after_completion') return FINISHED.includes(release.state);
  return false;
}

/** The checklist by phase and section, with who ticked what and when. */
export function ChecklistPanel({ release, me }: { release: TRelease; me: TMe }) {
  const rolledBack = rollbackFirst(release);
  const procedure = procedureOf(release);
  // After a rollback its procedure is the work left: first and open. Before one, it is last and closed.
  const phases = rolledBack ? [ROLLBACK_PHASE, ...PHASES.filter((p) => p !== ROLLBACK_PHASE)] : PHASES;
  return (
    <div className="checklist">
      {procedure.open ? (
        <p className="note note-bad procedure-banner" role="status" data-testid="procedure-banner">
          <strong>
            <span aria-hidden="true">⟲ </span>
            {procedureText(procedure, release.state)}
          </strong>
        </p>
      ) : null}
      {phases.map(({ phase, title }) => {
        const items = release.checklist.filter((i) => i.phase === phase);
        if (items.length === 0) return null;
        const closed = items.filter((i) => i.status !== 'open').length;
        const sections = [...new Set(items.map((i) => i.section))];
        return (
          <details key={phase} open={openByDefault(phase, release)} className={`phase phase-${phase}`} data-testid={`checklist-phase-${phase}`}>
            <summary>
              <strong>{title}</strong>{' '}
              <span className="muted">
                {closed} of {items.length} done or skipped
              </span>
            </summary>
            {sections.map((section) => (
              <section key={section} className="checklist-section">
                <h3>{section}</h3>
                <ul>
                  {items
                    .filter((i) => i.section === section)
                    .map((item) => (
                      <ChecklistRow key={item.id} item={item} release={release} editable={mayUpdate(me, release, item)} />
                    ))}
                </ul>
              </section>
            ))}
          </details>
        );
      })}
    </div>
  );
}

function ChecklistRow({ item, release, editable }: { item: TChecklistItem; release: TRelease; editable: boolean }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const info = STATUS_INFO[item.status];
  const stage = item.stageKey ? release.stages.find((s) => s.key === item.stageKey)?.name : null;
  const set = async (status: TChecklistStatus) => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.updateChecklistItem(release.id, item.id, { status });
      queryClient.setQueryData(keys.release(next.id), next);
      applySummary(queryClient, next);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`check check-${item.status}`} data-testid="checklist-item">
      <span className="check-status" title={info.label}>
        <span aria-hidden="true">{info.icon}</span>
        <span className="visually-hidden">{info.label}: </span>
      </span>
      <div className="check-body">
        <span className="check-text">{item.text}</span>
        <span className="check-meta">
          {item.required ? 'Required' : 'Optional'} · {roleLabel(item.ownerRole)}
          {stage ? ` · ${stage}` : ''}
          {item.updatedBy && item.updatedAt ? (
            <>
              {' '}
              · {info.label.toLowerCase()} by {item.updatedBy.name} <RelativeTime iso={item.updatedAt} />
            </>
          ) : null}
        </span>
        {error ? <ErrorNote>{error}</ErrorNote> : null}
      </div>
      {editable ? (
        <span className="check-buttons">
          {item.status === 'open' ? (
            <>
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => void set('done')} aria-label={`Mark done: ${item.text}`}>
                Done
              </button>
              <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => void set('skipped')} aria-label={`Skip: ${item.text}`}>
                Skip
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => void set('open')} aria-label={`Reopen: ${item.text}`}>
              Reopen
            </button>
          )}
        </span>
      ) : null}
    </li>
  );
}
