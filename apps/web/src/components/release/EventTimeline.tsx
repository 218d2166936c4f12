import { useMemo } from 'react';
import { useReleaseEvents } from '../../hooks/useReleaseEvents';
import { collapseVerdictFlaps, describeLine, type TEventLine, type TStageNames } from '../../lib/events';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote, Loading } from '../Section';
import { describeError } from '../../api/client';

/** The release's event log, newest first, updated live; a flapping gate reads as one line with a count. */
export function EventTimeline({ releaseId, stages }: { releaseId: string; stages: TStageNames }) {
  const events = useReleaseEvents(releaseId);
  const lines = useMemo(() => collapseVerdictFlaps(events.data?.events ?? []), [events.data]);
  if (events.isPending) return <Loading what="events" />;
  if (events.data === undefined) return <ErrorNote>{describeError(events.error)}</ErrorNote>;
  if (lines.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="events" aria-label="Events, newest first" data-testid="events">
      {lines.map((line) => (
        <EventRow key={line.event.id} line={line} stages={stages} />
      ))}
    </ol>
  );
}

function EventRow({ line, stages }: { line: TEventLine; stages: TStageNames }) {
  const { event } = line;
  const { icon, text, tone } = describeLine(line, stages);
  return (
    <li className={`event tone-${tone}`}>
      <span className="event-icon" aria-hidden="true">
        {icon}
      </span>
      <div>
        <span className="event-text">{text}</span>
        <span className="event-meta">
          {event.actor.name} · <RelativeTime iso={event.createdAt} />
        </span>
        {event.reason ? <blockquote className="event-reason">“{event.reason}”</blockquote> : null}
      </div>
    </li>
  );
}
