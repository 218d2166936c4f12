// When a message template goes out by itself: at the moments recorded events mark (a start, a ramp, full
// traffic, a rollback, an incident...), or every so often while the release runs. Each sending has an
// occasion ("ramp:canary-25", "incident:<id>", "every:3") that makes it happen once, however often the
// same events are looked at.
import type { TIncidentSeverity, TMessageKind, TMessageMoment, TMessageTemplateSpec } from '@rampart/contracts';
import { ZIncidentSeverity } from '@rampart/contracts';

/** A template without `on` goes out at the moment of its kind. */
export const DEFAULT_MOMENT_OF_KIND: Record<TMessageKind, TMessageMoment> = {
  announcement: 'start',
  progress: 'ramp',
  complete: 'complete',
  rollback: 'rollback',
  incident: 'incident',
};

export function momentsOf(template: Pick<TMessageTemplateSpec, 'kind' | 'on'>): readonly TMessageMoment[] {
  return template.on ?? [DEFAULT_MOMENT_OF_KIND[template.kind]];
}

/** What the mapping reads of a recorded event. */
export interface TMomentEvent {
  id: bigint | number | string;
  type: string;
  data: unknown;
}

export interface TOccasion {
  moment: TMessageMoment;
  /** Unique per release and template: the same occasion never sends twice. */
  occasion: string;
  /** The event that marked it (for the Slack-format webhook of that event). */
  eventId: string;
  /** For the incident moment: which incident, and its severity (templates with a severity wait for theirs). */
  incidentId?: string;
  severity?: TIncidentSeverity | null;
}

const FULL_TRAFFIC_PERCENT = 100;

function field(data: unknown, name: string): unknown {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** The moments one recorded event marks, in order; most events mark none. */
export function occasionsOfEvent(event: TMomentEvent): TOccasion[] {
  const eventId = event.id.toString();
  const at = (moment: TMessageMoment, occasion: string): TOccasion => ({ moment, occasion, eventId });
  const reachesFull = () => {
    const percent = field(event.data, 'toPercent');
    return typeof percent === 'number' && percent >= FULL_TRAFFIC_PERCENT ? [at('full_traffic', 'full_traffic')] : [];
  };
  switch (event.type) {
    case 'release.started':
      return [at('start', 'start'), ...reachesFull()];
    case 'release.ramped':
      return [at('ramp', `ramp:${text(field(event.data, 'toStage')) ?? eventId}`), ...reachesFull()];
    case 'release.paused':
      // A release may pause many times; each pause is its own occasion.
      return [at('pause', `pause:${eventId}`)];
    case 'release.rollback_started':
      return [at('rollback', 'rollback')];
    case 'release.rolled_back':
      return [at('rolled_back', 'rolled_back')];
    case 'release.completed':
      return [at('complete', 'complete')];
    case 'incident.reported': {
      const incidentId = text(field(event.data, 'incidentId')) ?? eventId;
      const severity = ZIncidentSeverity.safeParse(field(event.data, 'severity'));
      return [{ ...at('incident', `incident:${incidentId}`), incidentId, severity: severity.success ? severity.data : null }];
    }
    default:
      // message.sent among them: a sending is never the moment of another.
      return [];
  }
}

export function occasionsOfEvents(events: readonly TMomentEvent[]): TOccasion[] {
  return events.flatMap(occasionsOfEvent);
}

/** Whether a template goes out at an occasion: its moment, and for incidents, its severity if it names one. */
export function isDueAt(template: Pick<TMessageTemplateSpec, 'kind' | 'on' | 'severity'>, occasion: TOccasion): boolean {
  if (!momentsOf(template).includes(occasion.moment)) return false;
  return occasion.moment !== 'incident' || template.severity === undefined || template.severity === occasion.severity;
}

export interface TDueSending<T> {
  template: T;
  occasion: TOccasion;
}

/** Each template due at one of the occasions, once: at the first of them (a ramp to 100% is a ramp and full traffic). */
export function dueSendings<T extends Pick<TMessageTemplateSpec, 'kind' | 'on' | 'severity'>>(
  templates: readonly T[],
  occasions: readonly TOccasion[],
): TDueSending<T>[] {
  return templates.flatMap((template) => {
    const occasion = occasions.find((o) => isDueAt(template, o));
    return occasion ? [{ template, occasion }] : [];
  });
}

/**
 * The one template a Slack-format webhook posts for an event: the first internal template due at one of its
 * moments, else the first external one. The other sendings of the moment go by email and the status page.
 */
export function chatTemplateFor<T extends Pick<TMessageTemplateSpec, 'kind' | 'on' | 'severity' | 'audience'>>(
  templates: readonly T[],
  event: TMomentEvent,
): T | null {
  const due = dueSendings(templates, occasionsOfEvent(event)).map((s) => s.template);
  return due.find((t) => t.audience === 'internal') ?? due[0] ?? null;
}

/** The scheduled occasion: "every:<n>", n whole periods since the start. */
export const everyOccasion = (period: number) => `every:${period}`;
export const isScheduledOccasion = (occasion: string) => occasion.startsWith('every:');

/** Whole periods of `everySeconds` since the start; the first scheduled update is period 1. */
export function periodsSince(startedAt: Date, now: Date, everySeconds: number): number {
  return Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / (everySeconds * 1000)));
}
