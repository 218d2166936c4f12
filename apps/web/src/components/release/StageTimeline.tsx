import type { TRelease } from '@rampart/contracts';
import { formatDuration, formatPercent } from '../../lib/format';

/** The stages from first to 100%, the current one highlighted. */
export function StageTimeline({ release }: { release: TRelease }) {
  return (
    <ol className="stages" aria-label="Stages">
      {release.stages.map((stage) => {
        const current = stage.status === 'current';
        const bake =
          stage.maxBakeSeconds && stage.maxBakeSeconds !== stage.minBakeSeconds
            ? `${formatDuration(stage.minBakeSeconds)}–${formatDuration(stage.maxBakeSeconds)}`
            : stage.minBakeSeconds > 0
              ? formatDuration(stage.minBakeSeconds)
              : 'no bake';
        return (
          <li key={stage.key} className={`stage stage-${stage.status}`} aria-current={current ? 'step' : undefined}>
            <span className="stage-marker" aria-hidden="true">
              {stage.status === 'done' ? '✓' : current ? '▶' : stage.position + 1}
            </span>
            <span className="stage-name">{stage.name}</span>
            <span className="stage-meta">
              {formatPercent(stage.trafficPercent)} · {bake}
            </span>
            <span className="visually-hidden">
              {stage.status === 'done' ? ' (done)' : current ? ' (current stage)' : ' (pending)'}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
