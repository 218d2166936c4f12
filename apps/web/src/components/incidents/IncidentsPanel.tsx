import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { TRelease } from '@rampart/contracts';
import { describeError } from '../../api/client';
import { api } from '../../api/endpoints';
import { keys } from '../../api/keys';
import { useIncidents } from '../../hooks/useIncidents';
import { sortIncidents, whyNoReport } from '../../lib/incidents';
import { ErrorNote, Loading } from '../Section';
import { IncidentItem } from './IncidentItem';
import { ReportProblemDialog } from './ReportProblemDialog';

/**
 * The release's problems and incidents, and the button that reports one: every signed-in role, support
 * included, may press it. The severity scale comes from the release's playbook.
 */
export function IncidentsPanel({ release }: { release: TRelease }) {
  const incidents = useIncidents(release.id);
  const playbookId = release.playbook.id;
  // The release keeps a copy of its playbook but does not carry its scale: read it from the playbook itself.
  const playbook = useQuery({
    queryKey: keys.playbook(playbookId ?? ''),
    queryFn: () => api.playbook(playbookId!),
    enabled: playbookId !== null,
    staleTime: 5 * 60_000,
  });
  const [reporting, setReporting] = useState(false);
  const [reported, setReported] = useState<string | null>(null);
  const scale = playbook.data?.spec.incidentScale ?? null;
  const refused = whyNoReport(release.state);

  return (
    <div className="incidents">
      <div className="row incidents-bar">
        <button
          type="button"
          className="btn btn-danger-outline"
          disabled={refused !== null}
          aria-describedby={refused ? 'report-refused' : undefined}
          onClick={() => {
            setReported(null);
            setReporting(true);
          }}
        >
          Report a problem
        </button>
        {refused ? (
          <span id="report-refused" className="muted small">
            {refused}
          </span>
        ) : (
          <span className="muted small">Anyone signed in may report one; the playbook says what it does.</span>
        )}
      </div>
      <div aria-live="polite">
        {reported ? (
          <p className="note note-good" role="status">
            <span aria-hidden="true">✓ </span>
            {reported}{' '}
            <button type="button" className="link" onClick={() => setReported(null)}>
              Dismiss
            </button>
          </p>
        ) : null}
      </div>
      {incidents.isPending ? (
        <Loading what="incidents" />
      ) : incidents.data === undefined ? (
        <ErrorNote>{describeError(incidents.error)}</ErrorNote>
      ) : incidents.data.incidents.length === 0 ? (
        <p className="muted">No problem reported on this release.</p>
      ) : (
        <ul className="incident-list" data-testid="incidents">
          {sortIncidents(incidents.data.incidents).map((incident) => (
            <IncidentItem key={`${incident.id}-${incident.handler ?? ''}`} incident={incident} editable />
          ))}
        </ul>
      )}
      {reporting ? (
        <ReportProblemDialog releaseId={release.id} scale={scale} onClose={() => setReporting(false)} onReported={setReported} />
      ) : null}
    </div>
  );
}
