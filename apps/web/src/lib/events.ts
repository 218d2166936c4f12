// An event in words, with an icon, for the timeline and the chart annotations.
import type { TGateVerdict, TIncidentAction, TProblemKind, TReleaseEvent } from '@rampart/contracts';
import { formatPercent, roleLabel, type Tone } from './format';
import { ACTION_WORDS, KIND_LABELS } from './incidents';

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function num(...values: unknown[]): number | null {
  for (const value of values) if (typeof value === 'number' && Number.isFinite(value)) return value;
  return null;
}

/** The release's stages, to name the stage keys events carry. */
export type TStageNames = readonly { key: string; name: string }[];

/** A key as words when nothing better is known: "error-rate-below-0-1pct" → "Error rate below 0 1pct". */
export function humaniseKey(key: string): string {
  const words = key.replace(/[-_]+/g, ' ').trim();
  return words.replace(/^./, (c) => c.toUpperCase());
}

function stageName(key: unknown, stages: TStageNames): string | null {
  const k = str(key);
  if (k === null) return null;
  return stages.find((s) => s.key === k)?.name ?? humaniseKey(k);
}

/** The gate's own name (verdict events carry it as `name`); its key only as a last resort, in words. */
export function gateName(data: Record<string, unknown>): string {
  const name = str(data.gateName) ?? str(data.name);
  if (name) return name;
  const key = str(data.gate);
  return key ? humaniseKey(key) : 'A gate';
}

const VERDICT_WORDS: Record<TGateVerdict, string> = {
  pass: 'passing',
  warn: 'warning',
  fail: 'failing',
  inconclusive: 'inconclusive (not enough evidence yet)',
};

export function verdictWords(verdict: string, short = false): string {
  if (short && verdict === 'inconclusive') return 'inconclusive';
  return VERDICT_WORDS[verdict as TGateVerdict] ?? verdict;
}

export function describeEvent(event: TReleaseEvent, stages: TStageNames = []): { icon: string; text: string; tone: Tone } {
  const d = event.data;
  const stage = str(d.stageName) ?? str(d.toStageName) ?? stageName(d.stage ?? d.toStage, stages);
  const percent = num(d.percent, d.trafficPercent, d.toPercent);
  const at = [stage, percent !== null && !stage?.includes(formatPercent(percent)) ? formatPercent(percent) : null].filter(Boolean).join(', ');
  const forced = d.forced === true || d.force === true || (Array.isArray(d.forcedPast) && d.forcedPast.length > 0) ? ' (forced)' : '';
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
      const section = str(d.section);
      if (section && Array.isArray(d.items)) {
        const count = d.items.length;
        return { icon: '☑', text: `Checklist: section “${section}” done (${count} item${count === 1 ? '' : 's'})`, tone: 'neutral' };
      }
      const itemKey = str(d.item);
      const text = str(d.text) ?? (itemKey ? humaniseKey(itemKey) : 'an item');
      const status = str(d.status) ?? str(d.to) ?? 'updated';
      return { icon: '☑', text: `Checklist: “${text}” ${status === 'done' ? 'done' : status === 'skipped' ? 'skipped' : status === 'open' ? 'reopened' : status}`, tone: 'neutral' };
    }
    case 'approval.recorded': {
      const role = str(d.role);
      const approved = str(d.decision) !== 'reject';
      const forStage = stageName(d.stage, stages);
      return {
        icon: approved ? '✓' : '✕',
        text: `${approved ? 'Signed off' : 'Rejected'}${role ? ` as ${roleLabel(role)}` : ''}${forStage ? ` for ${forStage}` : ''}`,
        tone: approved ? 'good' : 'bad',
      };
    }
    case 'traffic.acknowledged':
      return { icon: '⇄', text: `Deploy tooling applied ${percent !== null ? formatPercent(percent) : 'the traffic change'}`, tone: 'neutral' };
    case 'gate.verdict_changed': {
      const verdict = str(d.verdict) ?? str(d.to) ?? 'changed';
      return {
        icon: verdict === 'fail' ? '✕' : verdict === 'pass' ? '✓' : verdict === 'inconclusive' ? '?' : '!',
        text: `Gate “${gateName(d)}” is now ${verdictWords(verdict)}`,
        tone: verdict === 'fail' ? 'bad' : verdict === 'warn' ? 'warn' : verdict === 'pass' ? 'good' : 'neutral',
      };
    }
    case 'release.needs_attention':
      return { icon: '!', text: str(d.message) ?? 'The release needs attention', tone: 'warn' };
    case 'metrics.source_error':
      return { icon: '!', text: `Metrics source error${str(d.message) ? `: ${str(d.message)}` : ''}`, tone: 'warn' };
    case 'webhook.delivered':
      return { icon: '↗', text: 'Webhook delivered', tone: 'neutral' };
    case 'webhook.failed':
      return { icon: '!', text: 'Webhook failed', tone: 'warn' };
    case 'incident.reported': {
      const title = str(d.title);
      const kind = str(d.kind);
      const severity = str(d.severity);
      const what = severity ? `${severity} incident` : kind ? (KIND_LABELS[kind as TProblemKind] ?? humaniseKey(kind)) : 'Problem';
      const action = str(d.action);
      const did = action && action in ACTION_WORDS ? ` · ${ACTION_WORDS[action as TIncidentAction]}` : '';
      return { icon: '▲', text: `${what} reported${title ? `: “${title}”` : ''}${did}`, tone: action === 'notify' ? 'warn' : 'bad' };
    }
    case 'incident.updated': {
      const title = str(d.title);
      const status = str(d.status) ?? str(d.to);
      const handler = str(d.handler);
      const change = [status ? `now ${status}` : null, handler ? `handled by ${handler}` : null].filter(Boolean).join(', ');
      return {
        icon: status === 'resolved' ? '✓' : '▲',
        text: `Incident${title ? ` “${title}”` : ''} ${change || 'updated'}`,
        tone: status === 'resolved' ? 'good' : status === 'mitigated' ? 'warn' : 'neutral',
      };
    }
    case 'rollback.procedure_done':
      return { icon: '☑', text: 'Rollback procedure done: every required step is closed', tone: 'good' };
    case 'release.reopened':
      return str(d.attemptId)
        ? { icon: '↻', text: 'Reopened as a new attempt at a smaller percentage', tone: 'info' }
        : { icon: '↻', text: 'Opened as a new attempt of a rolled-back release', tone: 'info' };
    case 'contact.paged': {
      const who = str(d.name) ?? str(d.contactName);
      const role = str(d.role) ?? str(d.contactRole);
      return { icon: '☎', text: `Paged ${who ?? 'the on-call contact'}${role ? ` (${role})` : ''}`, tone: 'warn' };
    }
    case 'page.acknowledged': {
      const to = str(d.name) ?? str(d.contactName);
      return { icon: '✓', text: `Page${to ? ` to ${to}` : ''} acknowledged`, tone: 'good' };
    }
    case 'page.escalated': {
      const to = str(d.name) ?? str(d.contactName);
      return { icon: '⤵', text: `Nobody acknowledged: page escalated${to ? ` to ${to}` : ''}`, tone: 'warn' };
    }
    case 'message.sent': {
      const template = str(d.title) ?? str(d.template);
      const channels = Array.isArray(d.channels) ? d.channels.filter((c): c is string => typeof c === 'string') : [];
      return {
        icon: '✉',
        text: `Message${template ? ` “${template}”` : ''} sent${channels.length ? ` to ${channels.join(', ')}` : ''}`,
        tone: 'neutral',
      };
    }
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

/** A line of the event list: one event, or a run of one gate's verdict flips collapsed into one. */
export interface TEventLine {
  event: TReleaseEvent;
  /** How many verdict changes of this gate the line stands for (1 for any other event). */
  count: number;
  /** For a collapsed run: the verdicts it went through, oldest first. */
  verdicts: string[];
}

/**
 * Collapses a flapping gate. Events come newest first; within a stretch of verdict changes that no other
 * event interrupts, each gate's changes become one line at its newest change, so two gates flapping in
 * turn still read as two lines.
 */
export function collapseVerdictFlaps(events: readonly TReleaseEvent[]): TEventLine[] {
  const lines: TEventLine[] = [];
  let run = new Map<string, TEventLine>();
  for (const event of events) {
    if (event.type !== 'gate.verdict_changed') {
      run = new Map();
      lines.push({ event, count: 1, verdicts: [] });
      continue;
    }
    const key = str(event.data.gate) ?? str(event.data.name) ?? event.id;
    const verdict = str(event.data.verdict) ?? str(event.data.to) ?? '?';
    const line = run.get(key);
    if (line) {
      line.count += 1;
      line.verdicts.unshift(verdict);
    } else {
      const fresh = { event, count: 1, verdicts: [verdict] };
      run.set(key, fresh);
      lines.push(fresh);
    }
  }
  return lines;
}

/** "Gate “Error rate” is now failing (changed 6 times: passing ⇄ failing)". */
export function describeLine(line: TEventLine, stages: TStageNames = []): { icon: string; text: string; tone: Tone } {
  const described = describeEvent(line.event, stages);
  if (line.count < 2) return described;
  const seen = [...new Set(line.verdicts)].map((v) => verdictWords(v, true)).join(' ⇄ ');
  return { ...described, text: `${described.text} (changed ${line.count} times: ${seen})` };
}
