import type { TReleaseEvent } from '@rampart/contracts';
import { useReleaseEvents } from '../../hooks/useReleaseEvents';
import { describeEvent } from '../../lib/events';
import { RelativeTime } from '../RelativeTime';
import { ErrorNote, Loading } from '../Section';
import { describeError } from '../../api/client';

/** The release's event log, newest first, updated live. */
export function EventTimeline({ releaseId }: { releaseId: string }) {
  const events = useReleaseEvents(releaseId);
  if (events.isPending) return <Loading what="events" />;
  if (events.isError) return <ErrorNote>{describeError(events.error)}</ErrorNote>;
  if (events.data.events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="events" aria-label="Events, newest first" data-testid="events">
      {events.data.events.map((event) => (
        <EventRow key={event.id} event={event} />
      ))}
    </ol>
  );
}

function EventRow({ event }: { event: TReleaseEvent }) {
  const { icon, text, tone } = describeEvent(event);
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
