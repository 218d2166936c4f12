import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useFreeze } from '../../hooks/useFreeze';
import { RelativeTime } from '../RelativeTime';

/** On every signed-in page while an admin has stopped the line: nothing starts or ramps, rollbacks still do. */
export function FreezeBanner() {
  const queryClient = useQueryClient();
  const freeze = useFreeze();
  const active = freeze.data;
  const activeId = active === undefined ? undefined : (active?.id ?? null);
  const seen = useRef(activeId);
  // A freeze that starts or ends changes every release's start and ramp blockers: refetch the releases shown.
  useEffect(() => {
    if (activeId === undefined) return;
    if (seen.current !== undefined && seen.current !== activeId) void queryClient.invalidateQueries({ queryKey: ['release'] });
    seen.current = activeId;
  }, [activeId, queryClient]);
  return (
    <div aria-live="polite">
      {active ? (
        <p className="note note-bad freeze-banner" role="status" data-testid="freeze-banner">
          <strong>
            <span aria-hidden="true">⛔ </span>Change freeze: the line is stopped.
          </strong>{' '}
          No release may start or ramp until it is lifted; pausing and rolling back still work. Reason: “{active.reason}”, by{' '}
          {active.startedBy} <RelativeTime iso={active.startedAt} />.
        </p>
      ) : null}
    </div>
  );
}
