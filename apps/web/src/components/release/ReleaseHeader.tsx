import type { TRelease } from '@rampart/contracts';
import { procedureOf, procedureText } from '../../lib/rollback';
import { StateBadge } from '../StatusPill';
import { RelativeTime } from '../RelativeTime';

export function ReleaseHeader({ release }: { release: TRelease }) {
  const procedure = procedureOf(release);
  return (
    <header className="release-header">
      <div>
        <p className="eyebrow">
          {release.playbook.name} · playbook v{release.playbook.version}
        </p>
        <h1>
          {release.service} <span className="version">{release.version}</span>
        </h1>
        <p className="muted">
          Owner <strong>{release.owner.name}</strong> · created <RelativeTime iso={release.createdAt} />
          {release.startedAt ? (
            <>
              {' '}
              · started <RelativeTime iso={release.startedAt} />
            </>
          ) : null}
          {release.finishedAt ? (
            <>
              {' '}
              · finished <RelativeTime iso={release.finishedAt} />
            </>
          ) : null}{' '}
          · revision {release.revision}
        </p>
      </div>
      <div className="release-state-box">
        <div className="release-state" data-testid="release-state">
          <StateBadge state={release.state} />
        </div>
        {procedure.open ? (
          <a href="#checklist" className="small procedure-link">
            {procedureText(procedure, release.state)}
          </a>
        ) : null}
      </div>
    </header>
  );
}
