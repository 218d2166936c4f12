import { useState } from 'react';
import { Link } from 'react-router';
import type { TMe, TRelease } from '@rampart/contracts';
import { formatPercent } from '../../lib/format';
import { reachedPercent } from '../../lib/rollback';
import { ReopenDialog } from './ReopenDialog';

/** Only the release's owner or an admin moves it forward again, as with any forward action. */
function mayReopen(me: TMe, release: TRelease): boolean {
  return me.role === 'admin' || (me.role === 'release_owner' && me.id === release.owner.id);
}

/** Links between the attempts of one release, and the way to a new attempt after a rollback. */
export function Attempts({ release, me }: { release: TRelease; me: TMe }) {
  const [reopening, setReopening] = useState(false);
  const previous = release.previousAttemptId ?? null;
  const next = release.nextAttemptId ?? null;
  const reached = reachedPercent(release);
  const canReopen = release.state === 'rolled_back' && next === null && mayReopen(me, release);
  if (!previous && !next && !canReopen) return null;
  return (
    <nav className="attempts" aria-label="Attempts of this release">
      {previous ? (
        <Link to={`/releases/${previous}`} data-testid="previous-attempt">
          <span aria-hidden="true">← </span>Previous attempt (rolled back)
        </Link>
      ) : null}
      {next ? (
        <Link to={`/releases/${next}`} data-testid="next-attempt">
          Next attempt<span aria-hidden="true"> →</span>
        </Link>
      ) : null}
      {canReopen ? (
        reached > 0 ? (
          <button type="button" className="btn btn-small" onClick={() => setReopening(true)}>
            Reopen at a smaller percentage…
          </button>
        ) : (
          <span className="muted small">This attempt never took traffic ({formatPercent(0)}): there is no smaller percentage to reopen at.</span>
        )
      ) : null}
      {reopening ? <ReopenDialog release={release} onClose={() => setReopening(false)} /> : null}
    </nav>
  );
}
