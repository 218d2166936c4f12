import type { TRelease } from '@rampart/contracts';
import { StateBadge } from '../StatusPill';
import { RelativeTime } from '../RelativeTime';

export function ReleaseHeader({ release }: { release: TRelease }) {
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
      <div className="release-state" data-testid="release-state">
        <StateBadge state={release.state} />
      </div>
    </header>
  );
}
