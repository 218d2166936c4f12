import type { TGateVerdict, TReleaseState } from '@rampart/contracts';
import { HEALTH_INFO, STATE_INFO, VERDICT_INFO, type Tone } from '../lib/format';

/** A status in words with an icon: colour never carries the meaning alone. */
export function StatusPill({ tone, icon, label, title }: { tone: Tone; icon: string; label: string; title?: string }) {
  return (
    <span className={`pill pill-${tone}`} title={title}>
      <span aria-hidden="true" className="pill-icon">
        {icon}
      </span>
      {label}
    </span>
  );
}

export function StateBadge({ state }: { state: TReleaseState }) {
  const info = STATE_INFO[state];
  return <StatusPill tone={info.tone} icon={info.icon} label={info.label} />;
}

export function VerdictBadge({ verdict }: { verdict: TGateVerdict }) {
  const info = VERDICT_INFO[verdict];
  return <StatusPill tone={info.tone} icon={info.icon} label={info.label} />;
}

export function HealthBadge({ health }: { health: 'healthy' | 'degraded' | 'unknown' }) {
  const info = HEALTH_INFO[health];
  return <StatusPill tone={info.tone} icon={info.icon} label={info.label} />;
}
