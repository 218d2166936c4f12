import type { TRelease } from '@rampart/contracts';
import { useNow } from '../../hooks/useNow';
import { bakeText, formatPercent } from '../../lib/format';
import { RelativeTime } from '../RelativeTime';

/** Desired against acknowledged traffic, and the current stage's bake countdown. */
export function TrafficPanel({ release }: { release: TRelease }) {
  const now = useNow(1000);
  const stage = release.stages[release.currentStageIndex];
  const bake = stage ? bakeText(stage.bakeEndsAt, now) : null;
  const pending = release.desiredPercent !== release.acknowledgedPercent;
  return (
    <div className="traffic">
      <div className="traffic-figures">
        <div>
          <span className="figure-label">Desired</span>
          <span className="figure" data-testid="desired-percent">
            {formatPercent(release.desiredPercent)}
          </span>
        </div>
        <div>
          <span className="figure-label">Applied by tooling</span>
          <span className="figure" data-testid="acknowledged-percent">
            {formatPercent(release.acknowledgedPercent)}
          </span>
        </div>
        <div>
          <span className="figure-label">Tooling last contact</span>
          <span className="figure figure-text" data-testid="acknowledged-at">
            {release.acknowledgedAt ? <RelativeTime iso={release.acknowledgedAt} /> : 'never'}
          </span>
        </div>
        <div>
          <span className="figure-label">Stage</span>
          <span className="figure figure-text">{stage ? stage.name : 'Not started'}</span>
        </div>
        {bake ? (
          <div>
            <span className="figure-label">Bake</span>
            <span className={`figure figure-text ${bake.done ? 'tone-good' : ''}`} data-testid="bake">
              <span aria-hidden="true">{bake.done ? '✓ ' : '⏳ '}</span>
              {bake.text}
            </span>
          </div>
        ) : null}
      </div>
      <div className="meter" aria-hidden="true">
        <div className="meter-ack" style={{ width: `${release.acknowledgedPercent}%` }} />
        <div className="meter-desired" style={{ left: `${release.desiredPercent}%` }} />
      </div>
      {pending ? (
        <p className="note note-warn">
          <span aria-hidden="true">⏳ </span>Waiting for the deploy tooling to apply {formatPercent(release.desiredPercent)} (now{' '}
          {formatPercent(release.acknowledgedPercent)}).
        </p>
      ) : null}
    </div>
  );
}
