// Words, icons and numbers as a person reads them. Pure: tested in apps/web/test.
import type { TBlockerDto, TGateVerdict, TReleaseAction, TReleaseState } from '@rampart/contracts';
import { formatDuration } from '@rampart/domain/duration';
import { bakeSecondsLeft } from './bake';

export type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'bad';

export const STATE_INFO: Record<TReleaseState, { label: string; icon: string; tone: Tone }> = {
  draft: { label: 'Draft', icon: '✎', tone: 'neutral' },
  ready: { label: 'Ready to start', icon: '●', tone: 'info' },
  running: { label: 'Running', icon: '▶', tone: 'info' },
  paused: { label: 'Paused', icon: '⏸', tone: 'warn' },
  rolling_back: { label: 'Rolling back', icon: '↺', tone: 'bad' },
  rolled_back: { label: 'Rolled back', icon: '⟲', tone: 'bad' },
  completed: { label: 'Completed', icon: '✓', tone: 'good' },
  aborted: { label: 'Aborted', icon: '✕', tone: 'neutral' },
};

export const VERDICT_INFO: Record<TGateVerdict, { label: string; icon: string; tone: Tone }> = {
  pass: { label: 'Pass', icon: '✓', tone: 'good' },
  warn: { label: 'Warn', icon: '!', tone: 'warn' },
  fail: { label: 'Fail', icon: '✕', tone: 'bad' },
  inconclusive: { label: 'Inconclusive', icon: '?', tone: 'neutral' },
};

export const HEALTH_INFO: Record<'healthy' | 'degraded' | 'unknown', { label: string; icon: string; tone: Tone }> = {
  healthy: { label: 'Healthy', icon: '✓', tone: 'good' },
  degraded: { label: 'Degraded', icon: '!', tone: 'bad' },
  unknown: { label: 'Unknown', icon: '?', tone: 'neutral' },
};

/** Release states in the order a list shows them: active first. */
export const STATE_ORDER: TReleaseState[] = [
  'rolling_back',
  'paused',
  'running',
  'ready',
  'draft',
  'rolled_back',
  'completed',
  'aborted',
];

export function stateRank(state: TReleaseState): number {
  return STATE_ORDER.indexOf(state);
}

export const ACTION_LABELS: Record<TReleaseAction, string> = {
  start: 'Start',
  ramp: 'Ramp',
  pause: 'Pause',
  resume: 'Resume',
  rollback: 'Roll back',
  complete: 'Complete',
  abort: 'Abort',
};

/** "1%", "0.5%", "12.25%": percents without trailing zeros. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const rounded = Math.round(value * 100) / 100;
  return `${rounded}%`;
}

/** "desired 5%, applied 1%" or just "5%" when they agree. */
export function formatTraffic(desired: number, acknowledged: number): string {
  if (desired === acknowledged) return formatPercent(desired);
  return `${formatPercent(desired)} desired · ${formatPercent(acknowledged)} applied`;
}

/** "1h 5m", "12m 30s", "45s": the domain's own wording (a subpath import keeps the rest of the domain out of the bundle). */
export { formatDuration };

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago"; "in 5m" for the future. */
export function formatRelative(iso: string | number, now: number): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  const diff = Math.round((now - t) / 1000);
  const abs = Math.abs(diff);
  if (abs < 5) return 'just now';
  let text: string;
  if (abs < 60) text = `${abs}s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)}m`;
  else if (abs < 86_400) text = `${Math.floor(abs / 3600)}h`;
  else text = `${Math.floor(abs / 86_400)}d`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

export function formatDateTime(iso: string | number): string {
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatClock(ms: number, withSeconds = false): string {
  return new Date(ms).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });
}

/** A bake countdown: remaining time, or that the bake is over. */
export function bakeText(bakeEndsAt: string | null, now: number): { done: boolean; text: string } {
  if (!bakeEndsAt) return { done: true, text: 'No bake time' };
  // The same count as the bake blocker's (lib/bake.ts), so the two never disagree.
  const remaining = bakeSecondsLeft(bakeEndsAt, now);
  if (remaining <= 0) return { done: true, text: 'Bake time over' };
  return { done: false, text: `${formatDuration(remaining)} left to bake` };
}

/** One line per blocker, grouped so ten open checklist items read as one line. */
export function summariseBlockers(blockers: readonly TBlockerDto[]): string[] {
  const lines: string[] = [];
  const open = blockers.filter((b) => b.kind === 'checklist_open');
  for (const blocker of blockers) {
    if (blocker.kind === 'checklist_open') continue;
    lines.push(blocker.message);
  }
  if (open.length === 1 && open[0]) lines.push(open[0].message);
  else if (open.length > 1) lines.push(`${open.length} required checklist items are still open`);
  return lines;
}

/** Metric values in their unit: error rates are fractions, latencies milliseconds. */
export function formatMetric(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (metric === 'error_rate' || metric.endsWith('_rate') || metric.endsWith('_ratio')) {
    return `${(value * 100).toFixed(value * 100 < 1 ? 2 : 1)}%`;
  }
  if (metric.endsWith('_ms') || metric === 'latency') return `${Math.round(value)} ms`;
  if (Math.abs(value) >= 1000) return value.toLocaleString(undefined, { maximumFractionDigits: 0 });
  return String(Math.round(value * 100) / 100);
}

export const METRIC_LABELS: Record<string, string> = {
  error_rate: 'Error rate',
  latency_p95_ms: 'P95 latency',
  latency_p99_ms: 'P99 latency',
  latency_p50_ms: 'P50 latency',
  requests: 'Request rate',
  health_ok: 'Health checks',
};

export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export const ROLE_LABELS: Record<string, string> = {
  admin: 'Admin',
  release_owner: 'Release owner',
  approver: 'Approver',
  viewer: 'Viewer',
  product: 'Product',
  security: 'Security',
  infrastructure: 'Infrastructure',
  engineering: 'Engineering',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}
