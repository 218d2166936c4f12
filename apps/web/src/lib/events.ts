// An event in words, with an icon, for the timeline and the chart annotations.
import type { TReleaseEvent } from '@rampart/contracts';
import { formatPercent, roleLabel, type Tone } from './format';

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

export function describeEvent(event: TReleaseEvent): { icon: string; text: string; tone: Tone } {
  const d = event.data;
  const stage = str(d.stageName) ?? str(d.toStageName) ?? str(d.stage) ?? str(d.toStage);
  const percent = typeof d.percent === 'number' ? d.percent : typeof d.trafficPercent === 'number' ? d.trafficPercent : null;
  const at = [stage, percent !== null ? formatPercent(percent) : null].filter(Boolean).join(', ');
  const forced = d.forced === true || d.force === true ? ' (forced)' : '';
  switch (event.type) {
    case 'release.created':
      return { icon: '✎', text: 'Release created', tone: 'neutral' };
    case 'release.ready':
      return { icon: '●', text: 'Ready to start: sign-offs and checklist complete', tone: 'info' };
    case 'release.unready':
      return { icon: '○', text: 'No longer ready to start', tone: 'warn' };
    case 'release.started':
      return { icon: '▶', text: `Started${at ? ` at ${at}` : ''}${forced}`, tone: 'info' };
    case 'release.ramped':
      return { icon: '⤴', text: `Ramped${at ? ` to ${at}` : ''}${forced}`, tone: 'info' };
    case 'release.paused':
      return { icon: '⏸', text: 'Paused', tone: 'warn' };
    case 'release.resumed':
      return { icon: '▶', text: 'Resumed', tone: 'info' };
    case 'release.rollback_started':
      return { icon: '↺', text: 'Rollback started', tone: 'bad' };
    case 'release.rolled_back':
      return { icon: '⟲', text: 'Rolled back: traffic at 0%', tone: 'bad' };
    case 'release.completed':
      return { icon: '✓', text: `Completed${forced}`, tone: 'good' };
    case 'release.aborted':
      return { icon: '✕', text: 'Aborted', tone: 'neutral' };
    case 'checklist.updated': {
      const text = str(d.text) ?? str(d.item) ?? 'an item';
      const status = str(d.status) ?? str(d.to) ?? 'updated';
      return { icon: '☑', text: `Checklist: “${text}” ${status === 'done' ? 'done' : status === 'skipped' ? 'skipped' : status === 'open' ? 'reopened' : status}`, tone: 'neutral' };
    }
    case 'approval.recorded': {
      const role = str(d.role);
      const approved = str(d.decision) !== 'reject';
      return {
        icon: approved ? '✓' : '✕',
        text: `${approved ? 'Signed off' : 'Rejected'}${role ? ` as ${roleLabel(role)}` : ''}`,
        tone: approved ? 'good' : 'bad',
      };
    }
    case 'traffic.acknowledged':
      return { icon: '⇄', text: `Deploy tooling applied ${percent !== null ? formatPercent(percent) : 'the traffic change'}`, tone: 'neutral' };
    case 'gate.verdict_changed': {
      const gate = str(d.gateName) ?? str(d.gate) ?? 'A gate';
      const verdict = str(d.verdict) ?? str(d.to) ?? 'changed';
      return { icon: verdict === 'fail' ? '✕' : verdict === 'pass' ? '✓' : '!', text: `${gate}: ${verdict}`, tone: verdict === 'fail' ? 'bad' : verdict === 'warn' ? 'warn' : 'neutral' };
    }
    case 'release.needs_attention':
      return { icon: '!', text: str(d.message) ?? 'The release needs attention', tone: 'warn' };
    case 'metrics.source_error':
      return { icon: '!', text: `Metrics source error${str(d.message) ? `: ${str(d.message)}` : ''}`, tone: 'warn' };
    case 'webhook.delivered':
      return { icon: '↗', text: 'Webhook delivered', tone: 'neutral' };
    case 'webhook.failed':
      return { icon: '!', text: 'Webhook failed', tone: 'warn' };
    default:
      return { icon: '•', text: event.type, tone: 'neutral' };
  }
}

/** Events worth a mark on the charts' time axis: stage changes and actions. */
export const MARKED_EVENTS = new Set([
  'release.started',
  'release.ramped',
  'release.paused',
  'release.resumed',
  'release.rollback_started',
  'release.rolled_back',
  'release.completed',
  'release.aborted',
]);
