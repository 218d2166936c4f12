import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TChecklistItem, TChecklistStatus, TMe, TRelease } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { applySummary } from '../../lib/live-apply';
import { roleLabel } from '../../lib/format';
import { mayUpdateItem as mayUpdate, phaseOpenByDefault as openByDefault, sectionOpenByDefault, tickableInSection } from '../../lib/checklist';
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
              <ChecklistSection
                key={section}
                title={section}
                phase={phase}
                items={items.filter((i) => i.section === section)}
                release={release}
                me={me}
              />
            ))}
          </details>
        );
      })}
    </div>
  );
}

/** One section, folded unless it is where the work is now, with "Mark section done" for whoever may tick its items. */
function ChecklistSection(props: { title: string; phase: TChecklistItem['phase']; items: TChecklistItem[]; release: TRelease; me: TMe }) {
  const { title, phase, items, release, me } = props;
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const closed = items.filter((i) => i.status !== 'open').length;
  const tickable = tickableInSection(me, release, items);
  const markDone = async () => {
    setBusy(true);
    setError(null);
    try {
      // No expectedRevision, like the single-item tick: the autopilot's verdicts move the revision all the
      // time, and the server applies today's rules to whatever is still open.
      const next = await api.markChecklistSectionDone(release.id, { section: title });
      queryClient.setQueryData(keys.release(next.id), next);
      applySummary(queryClient, next);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="checklist-section" open={sectionOpenByDefault(phase, release, items)} data-testid="checklist-section">
      <summary>
        <h3>{title}</h3>
        <span className="muted section-count">
          {closed} of {items.length} done or skipped
        </span>
        {tickable > 0 ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={busy}
            onClick={(e) => {
              // A button inside <summary> would also fold the section.
              e.preventDefault();
              void markDone();
            }}
            aria-label={`Mark section done: ${title} (${tickable} open ${tickable === 1 ? 'item' : 'items'})`}
          >
            Mark section done
          </button>
        ) : null}
      </summary>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      <ul>
        {items.map((item) => (
          <ChecklistRow key={item.id} item={item} release={release} editable={mayUpdate(me, release, item)} />
        ))}
      </ul>
    </details>
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
