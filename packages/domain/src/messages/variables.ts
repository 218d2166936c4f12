// Every blank of a message template, filled from what is known of the live release. Pure: the API loads
// the facts (the release, its latest analysis and incident, recent figures) and this turns them into words.
import type {
  TContactSpec,
  TGateVerdict,
  TIncidentLevelSpec,
  TIncidentSeverity,
  TIncidentStatus,
  TMessageTemplateSpec,
  TMessageVariable,
  TReleaseState,
} from '@rampart/contracts';
import { durationInWords, latencyText, listInWords, percentNumber, ratePercent, unknownBecause, utcClock, utcDateTime } from './blanks.js';
import { healthInWords, releaseHealth } from './health.js';

export type TMessageVariables = Record<TMessageVariable, string>;
export type TAudience = TMessageTemplateSpec['audience'];

export interface TCohortFigures {
  requests: number;
  errors: number;
  /** Mean of the P95 points in the window; null when none came. */
  latencyP95Ms: number | null;
}

export interface TMessageIncident {
  title: string;
  severity: TIncidentSeverity | null;
  status: TIncidentStatus;
  startedAt: Date;
  handler: string | null;
  publicNote: string | null;
}

export interface TMessageFacts {
  release: {
    service: string;
    version: string;
    notes: string;
    ownerName: string;
    state: TReleaseState;
    currentStageIndex: number;
    desiredPercent: number;
    acknowledgedPercent: number;
    startedAt: Date | null;
    finishedAt: Date | null;
    stages: readonly { key: string; name: string; trafficPercent: number; minBakeSeconds: number; enteredAt: Date | null }[];
  };
  /** The release's own contacts, or its playbook's. */
  contacts: readonly TContactSpec[];
  now: Date;
  releaseUrl: string;
  /** The reason given with the latest rollback or pause. */
  reason: string | null;
  /** The version of the service's latest earlier completed release. */
  previousVersion: string | null;
  /** Recent figures per cohort, over `windowMinutes`. */
  figures: { canary: TCohortFigures; baseline: TCohortFigures; windowMinutes: number };
  /** The latest analysis: the stage it judged and each gate's verdict and one-sentence summary. */
  analysis: { stage: string | null; gates: readonly { verdict: TGateVerdict; summary: string }[] } | null;
  /** The latest incident on the release, and how many are open. */
  incident: TMessageIncident | null;
  openIncidents: number;
}

const STATE_WORDS: Record<TReleaseState, string> = {
  draft: 'Draft',
  ready: 'Ready',
  running: 'Running',
  paused: 'Paused',
  rolling_back: 'Rolling back',
  rolled_back: 'Rolled back',
  completed: 'Completed',
  aborted: 'Aborted',
};

const INCIDENT_STATUS_WORDS: Record<TIncidentStatus, string> = { open: 'Open', mitigated: 'Mitigated', resolved: 'Resolved' };
const FINISHED: readonly TReleaseState[] = ['completed', 'rolled_back', 'aborted'];
const NO_INCIDENT = 'no incident reported';

function errorRateOf(cohort: TCohortFigures, name: string, minutes: number): string {
  return cohort.requests > 0 ? ratePercent(cohort.errors, cohort.requests) : unknownBecause(`no ${name} requests in the last ${minutes} minutes`);
}

function latencyOf(cohort: TCohortFigures, name: string, minutes: number): string {
  return cohort.latencyP95Ms === null ? unknownBecause(`no ${name} latency reported in the last ${minutes} minutes`) : latencyText(cohort.latencyP95Ms);
}

function issuesOf(facts: TMessageFacts): string {
  const stage = facts.release.stages[facts.release.currentStageIndex];
  const gates = facts.analysis && stage && facts.analysis.stage === stage.key ? facts.analysis.gates : null;
  if (!stage) return 'none so far (not started yet)';
  const failing = gates?.filter((g) => g.verdict === 'fail' || g.verdict === 'warn') ?? [];
  if (failing.length > 0) return failing.map((g) => g.summary).join(' ');
  if (!gates) return `none so far (no verdict yet at ${stage.name})`;
  if (gates.length === 0) return `none (no gate judges ${stage.name})`;
  const gathering = gates.filter((g) => g.verdict === 'inconclusive').length;
  if (gathering > 0) return `none so far (${gathering === 1 ? '1 gate is' : `${gathering} gates are`} still gathering data)`;
  return 'none: every gate passes';
}

type TBakeEnd = { endsAt: Date } | { blank: string };

/** When the current stage's bake time (the watch, at the last stage) ends, or the words for why there is none. */
function bakeEndOf(facts: TMessageFacts): TBakeEnd {
  const { release } = facts;
  if (FINISHED.includes(release.state)) return { blank: `none (the release is ${STATE_WORDS[release.state].toLowerCase()})` };
  const stage = release.stages[release.currentStageIndex];
  if (!stage?.enteredAt) return { blank: unknownBecause('not started yet') };
  return { endsAt: new Date(stage.enteredAt.getTime() + stage.minBakeSeconds * 1000) };
}

function timeLeftOf(facts: TMessageFacts): string {
  const end = bakeEndOf(facts);
  if ('blank' in end) return end.blank;
  const seconds = (end.endsAt.getTime() - facts.now.getTime()) / 1000;
  return seconds > 0 ? durationInWords(seconds) : '0 minutes (the bake time is over)';
}

function nextStepAtOf(facts: TMessageFacts): string {
  const end = bakeEndOf(facts);
  return 'blank' in end ? end.blank : utcClock(end.endsAt, facts.now);
}

function watchEndsAtOf(facts: TMessageFacts): string {
  const last = facts.release.stages.at(-1);
  if (!last) return unknownBecause('the playbook has no stages');
  if (last.minBakeSeconds === 0) return 'no watch (the last stage has no bake time)';
  if (!last.enteredAt) return unknownBecause(`${last.name} not reached yet`);
  return utcClock(new Date(last.enteredAt.getTime() + last.minBakeSeconds * 1000), facts.now);
}

function incidentVariables(incident: TMessageIncident | null, audience: TAudience) {
  if (!incident) {
    return { incident: 'none reported', incidentStatus: NO_INCIDENT, incidentStartedAt: NO_INCIDENT, incidentHandler: NO_INCIDENT };
  }
  // The title, detail and handler are for signed-in people; the public reads the note meant for it.
  const external = audience === 'external';
  return {
    incident: external ? (incident.publicNote ?? 'an issue we are investigating') : incident.title,
    incidentStatus: INCIDENT_STATUS_WORDS[incident.status],
    incidentStartedAt: utcDateTime(incident.startedAt),
    incidentHandler: external ? 'our on-call team' : (incident.handler ?? 'nobody assigned yet'),
  };
}

function contactVariables(contacts: readonly TContactSpec[], audience: TAudience) {
  if (audience === 'external') return { onCall: 'our on-call team', contacts: 'our release team' };
  const onCall = contacts.filter((c) => c.onCall).map((c) => c.name);
  return {
    onCall: onCall.length > 0 ? listInWords(onCall) : unknownBecause('no on-call contact named'),
    contacts: contacts.length > 0 ? contacts.map((c) => `${c.role}: ${c.name}`).join('; ') : unknownBecause('no contacts named'),
  };
}

/** What the playbook's incident levels say to do at a severity. */
export function severityResponseOf(levels: readonly TIncidentLevelSpec[], severity: TIncidentSeverity | null): string {
  if (!severity) return unknownBecause(NO_INCIDENT);
  return levels.find((l) => l.level === severity)?.response ?? unknownBecause(`the playbook gives no response for ${severity}`);
}

/** Every variable, for one audience (external templates never carry incident titles, handlers or contacts). */
export function messageVariables(facts: TMessageFacts, levels: readonly TIncidentLevelSpec[], audience: TAudience = 'internal'): TMessageVariables {
  const { release, figures, now } = facts;
  const stage = release.stages[release.currentStageIndex];
  const next = release.stages[release.currentStageIndex + 1];
  const health = releaseHealth({
    state: release.state,
    currentStageIndex: release.currentStageIndex,
    stages: release.stages,
    analysis: facts.analysis ? { stage: facts.analysis.stage, verdicts: facts.analysis.gates.map((g) => g.verdict) } : null,
    openIncidents: facts.openIncidents,
  });
  const severity = facts.incident?.severity ?? null;
  return {
    service: release.service,
    version: release.version,
    previousVersion: facts.previousVersion ?? 'the previous version (not recorded in Rampart)',
    notes: release.notes.trim() || 'no notes given',
    owner: release.ownerName,
    state: STATE_WORDS[release.state],
    health: healthInWords(health),
    stage: stage?.name ?? 'not started',
    percent: percentNumber(release.desiredPercent),
    acknowledgedPercent: percentNumber(release.acknowledgedPercent),
    nextStage: next?.name ?? 'none (last stage)',
    nextPercent: percentNumber(next?.trafficPercent ?? stage?.trafficPercent ?? 0),
    startedAt: release.startedAt ? utcDateTime(release.startedAt) : 'not started yet',
    finishedAt: release.finishedAt ? utcDateTime(release.finishedAt) : 'not finished yet',
    now: utcDateTime(now),
    errorRate: errorRateOf(figures.canary, 'canary', figures.windowMinutes),
    baselineErrorRate: errorRateOf(figures.baseline, 'baseline', figures.windowMinutes),
    latencyP95: latencyOf(figures.canary, 'canary', figures.windowMinutes),
    baselineLatencyP95: latencyOf(figures.baseline, 'baseline', figures.windowMinutes),
    issues: issuesOf(facts),
    reason: facts.reason?.trim() || 'no reason given',
    severity: severity ?? unknownBecause(NO_INCIDENT),
    severityResponse: severityResponseOf(levels, severity),
    ...incidentVariables(facts.incident, audience),
    ...contactVariables(facts.contacts, audience),
    timeLeft: timeLeftOf(facts),
    nextStepAt: nextStepAtOf(facts),
    watchEndsAt: watchEndsAtOf(facts),
    releaseUrl: facts.releaseUrl,
  };
}

/** A template that names its own severity (seed 003's P0 to P3) speaks of that severity and its response. */
export function variablesForTemplate(
  template: Pick<TMessageTemplateSpec, 'severity'>,
  variables: TMessageVariables,
  levels: readonly TIncidentLevelSpec[],
): TMessageVariables {
  if (!template.severity) return variables;
  return { ...variables, severity: template.severity, severityResponse: severityResponseOf(levels, template.severity) };
}
