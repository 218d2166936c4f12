import type { TPlaybook } from '@rampart/contracts';
import { formatDuration, formatPercent, metricLabel, roleLabel } from '../lib/format';

function gateRule(gate: TPlaybook['spec']['gates'][number]): string {
  switch (gate.kind) {
    case 'threshold':
      return `${metricLabel(gate.metric)} ${gate.comparator} ${gate.value}`;
    case 'baseline_delta':
      return `${metricLabel(gate.metric)} no more than ${[
        gate.maxAbsoluteChange !== undefined ? `${gate.maxAbsoluteChange} absolute` : null,
        gate.maxRelativeChange !== undefined ? `${Math.round(gate.maxRelativeChange * 100)}% relative` : null,
      ]
        .filter(Boolean)
        .join(' or ')} worse than baseline`;
    case 'baseline_ratio':
      return `${metricLabel(gate.metric)} under ${gate.maxRatio}× the baseline`;
    case 'consecutive_failures':
      return `${gate.failures ?? '?'} failed ${metricLabel(gate.metric).toLowerCase()} in a row`;
    case 'sequential':
      return `sequential test on ${gate.metric.replace('_', ' ')} (α ${gate.alpha})`;
    case 'incidents':
      return `no new ${gate.severities?.join('/') ?? ''} incidents within ${formatDuration(gate.windowSeconds)} of entering a stage`.replace('  ', ' ');
  }
}

/** A playbook's stages, gates, sign-offs and checklist at a glance. */
export function PlaybookPreview({ playbook }: { playbook: TPlaybook }) {
  const { spec } = playbook;
  return (
    <div className="preview">
      <h3>Stages</h3>
      <ol className="preview-stages">
        {spec.stages.map((s) => (
          <li key={s.key}>
            <strong>{s.name}</strong> · {formatPercent(s.trafficPercent)} ·{' '}
            {s.minBakeSeconds > 0 ? `bake ${formatDuration(s.minBakeSeconds)}` : 'no bake'}
            {s.minBakeSeconds > 0 && s.maxBakeSeconds ? `–${formatDuration(s.maxBakeSeconds)}` : ''}
            {s.signoff.length ? ` · sign-off: ${s.signoff.map((r) => roleLabel(r.role)).join(', ')}` : ''}
          </li>
        ))}
      </ol>
      <h3>Gates</h3>
      {spec.gates.length === 0 ? (
        <p className="muted">No gates.</p>
      ) : (
        <ul>
          {spec.gates.map((g) => (
            <li key={g.key}>
              <strong>{g.name}</strong>: {gateRule(g)}
              {g.sustainSeconds ? ` for ${formatDuration(g.sustainSeconds)}` : ''} → {g.severity}
            </li>
          ))}
        </ul>
      )}
      <h3>Sign-offs before start</h3>
      <p>{spec.approvalsBeforeStart.length ? spec.approvalsBeforeStart.map((r) => roleLabel(r.role)).join(', ') : 'None'}</p>
      <h3>Checklist</h3>
      <ul>
        {spec.checklist.map((section) => (
          <li key={section.title}>
            <strong>{section.title}</strong> · {section.items.length} item{section.items.length === 1 ? '' : 's'} (
            {section.items.filter((i) => i.required !== false).length} required)
          </li>
        ))}
      </ul>
      <h3>Automation</h3>
      <p>
        Auto-advance {spec.automation.autoAdvance ? 'on' : 'off'} · auto-pause {spec.automation.autoPause ? 'on' : 'off'} · auto-rollback{' '}
        {spec.automation.autoRollback ? 'on' : 'off'}
      </p>
    </div>
  );
}
