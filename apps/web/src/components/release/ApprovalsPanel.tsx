import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TApprovalDecision, TApprovalRole, TMe, TRelease } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { applySummary } from '../../lib/live-apply';
import { roleLabel } from '../../lib/format';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote } from '../Section';

type Requirement = TRelease['approvals']['required'][number];

function stageName(release: TRelease, stageKey: string | null): string {
  if (stageKey === null) return 'Before start';
  return `Before ${release.stages.find((s) => s.key === stageKey)?.name ?? stageKey}`;
}

/** Can this person sign this requirement now? Never the release owner; only holders of the role. */
export function canSign(me: TMe, release: TRelease, req: Requirement): boolean {
  if (me.id === release.owner.id) return false;
  if (!me.approvalRoles.includes(req.role)) return false;
  if (['completed', 'rolled_back', 'aborted'].includes(release.state)) return false;
  if (req.stageKey === null) return release.state === 'draft' || release.state === 'ready';
  const index = release.stages.findIndex((s) => s.key === req.stageKey);
  return index > release.currentStageIndex;
}

const CLOSED_LABEL: Record<NonNullable<Requirement['closed']>, string> = {
  forced_past: 'Skipped (forced past)',
  release_finished: 'Not needed (release ended)',
};

/** Where a requirement stands; one that can no longer be given says why, rather than "Waiting" for ever. */
function RequirementPill({ req }: { req: Requirement }) {
  const [tone, icon, label] = req.satisfied
    ? ['good', '✓', 'Signed off']
    : req.rejectedBy.length
      ? ['bad', '✕', 'Rejected']
      : req.closed
        ? ['neutral', '–', CLOSED_LABEL[req.closed]]
        : ['neutral', '…', 'Waiting'];
  return (
    <span className={`pill pill-${tone}`}>
      <span aria-hidden="true">{icon}</span>
      {label}
    </span>
  );
}

export function ApprovalsPanel({ release, me }: { release: TRelease; me: TMe }) {
  const { required, decisions } = release.approvals;
  if (required.length === 0 && decisions.length === 0) return <p className="muted">This playbook asks for no sign-offs.</p>;
  return (
    <div className="approvals">
      <ul className="requirements">
        {required.map((req) => (
          <li key={`${req.role}-${req.stageKey ?? 'start'}`} className="requirement" data-testid={`approval-${req.role}`}>
            <RequirementPill req={req} />
            <div className="requirement-body">
              <strong>{roleLabel(req.role)}</strong> <span className="muted">· {stageName(release, req.stageKey)}</span>
              <span className="muted small">
                {req.approvedBy.length}/{req.count} approved
                {req.approvedBy.length ? ` by ${req.approvedBy.map((u) => u.name).join(', ')}` : ''}
                {req.rejectedBy.length ? ` · rejected by ${req.rejectedBy.map((u) => u.name).join(', ')}` : ''}
              </span>
              {canSign(me, release, req) ? <SignOffForm release={release} role={req.role} stageKey={req.stageKey} /> : null}
            </div>
          </li>
        ))}
      </ul>
      {decisions.length ? (
        <>
          <h3>Decisions</h3>
          <ul className="decisions">
            {decisions.map((d) => (
              <li key={d.id}>
                <span aria-hidden="true">{d.decision === 'approve' ? '✓' : '✕'} </span>
                <strong>{d.user.name}</strong> {d.decision === 'approve' ? 'signed off' : 'rejected'} as {roleLabel(d.role)} (
                {stageName(release, d.stageKey).toLowerCase()}) <RelativeTime iso={d.createdAt} />
                {d.comment ? <blockquote>{d.comment}</blockquote> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function SignOffForm({ release, role, stageKey }: { release: TRelease; role: TApprovalRole; stageKey: string | null }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `comment-${role}-${stageKey ?? 'start'}`;
  const decide = async (decision: TApprovalDecision) => {
    if (decision === 'reject' && !comment.trim()) {
      setError('Say why you reject, so the owner can act on it.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await api.recordApproval(release.id, {
        role,
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(stageKey ? { stage: stageKey } : {}),
      });
      queryClient.setQueryData(keys.release(next.id), next);
      applySummary(queryClient, next);
      setComment('');
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="signoff">
      <label htmlFor={id} className="small">
        Comment {`(${roleLabel(role)})`}
      </label>
      <textarea id={id} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
      <div className="row">
        <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void decide('approve')}>
          Sign off as {roleLabel(role)}
        </button>
        <button type="button" className="btn btn-danger-outline btn-small" disabled={busy} onClick={() => void decide('reject')}>
          Reject
        </button>
      </div>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
    </div>
  );
}
