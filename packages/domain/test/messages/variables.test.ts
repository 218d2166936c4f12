import { describe, expect, it } from 'vitest';
import type { TPlaybookSpec } from '@rampart/contracts';
import { INCIDENT_SCALES, MESSAGE_VARIABLES } from '@rampart/contracts';
import type { TMessageFacts } from '../../src/index.js';
import { builtInPlaybookSpecs, messageVariables, renderMessage, variablesForTemplate } from '../../src/index.js';

const NOW = new Date('2025-11-05T14:40:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

/** A release of the playbook at its second stage, its gates passing, one incident of the playbook's scale open. */
function realisticFacts(spec: TPlaybookSpec, overrides: Partial<TMessageFacts> = {}): TMessageFacts {
  const index = Math.min(1, spec.stages.length - 1);
  const stages = spec.stages.map((stage, i) => ({
    key: stage.key,
    name: stage.name,
    trafficPercent: stage.trafficPercent,
    minBakeSeconds: stage.minBakeSeconds,
    enteredAt: i < index ? minutesAgo(40) : i === index ? minutesAgo(10) : null,
  }));
  const severity = INCIDENT_SCALES[spec.incidentScale][1];
  return {
    release: {
      service: 'checkout',
      version: 'v1.2.3',
      notes: 'Profile links feature, performance improvements',
      ownerName: 'Olivia Owner',
      state: 'running',
      currentStageIndex: index,
      desiredPercent: spec.stages[index]!.trafficPercent,
      acknowledgedPercent: spec.stages[index]!.trafficPercent,
      startedAt: minutesAgo(40),
      finishedAt: null,
      stages,
    },
    contacts: spec.contacts.length > 0 ? spec.contacts : [{ role: 'On-call engineer', name: 'Dana Duty', onCall: true }, { role: 'Deployment lead', name: 'Lee Lead', onCall: false }],
    now: NOW,
    releaseUrl: 'https://rampart.example.com/releases/42',
    reason: 'Error rate above 1% for 5 minutes',
    previousVersion: 'v1.2.2',
    figures: {
      canary: { requests: 1000, errors: 3, latencyP95Ms: 1200 },
      baseline: { requests: 9000, errors: 36, latencyP95Ms: 1300 },
      windowMinutes: 5,
    },
    analysis: { stage: spec.stages[index]!.key, gates: [{ verdict: 'pass', summary: 'Error rate 0.30% is below 1%.' }] },
    incident: { title: 'Checkout failing for some users', severity, status: 'open', startedAt: minutesAgo(5), handler: 'Dana Duty', publicNote: 'Some payments are slow.' },
    openIncidents: 1,
    ...overrides,
  };
}

/** A blank left as the document wrote it, or a value printed raw. */
const UNFILLED = [/\[/, /\bNone\b/, /undefined/, /\bnull\b/, /NaN/, /\{\{/, /\}\}/];
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
/** Words the document itself writes ("Impact: None expected") are the template's, not a filled value. */
const RAW_WORDS = [/\bNone\b/, /undefined/, /\bnull\b/, /NaN/];

describe('every blank of the built-in playbooks, filled from a realistic release', () => {
  for (const { key, spec } of builtInPlaybookSpecs()) {
    it(`${key}: no template leaves a blank, says None, or prints undefined`, () => {
      const facts = realisticFacts(spec);
      expect(spec.messages.length).toBeGreaterThan(0);
      for (const template of spec.messages) {
        const variables = variablesForTemplate(template, messageVariables(facts, spec.incidentLevels, template.audience), spec.incidentLevels);
        const { text } = renderMessage(template, variables);
        for (const pattern of [/\[/, /\{\{/, /\}\}/]) expect(text, `${template.key}:\n${text}`).not.toMatch(pattern);
        for (const pattern of RAW_WORDS) expect(count(text, pattern), `${template.key}: ${pattern.source} in\n${text}`).toBe(count(template.body, pattern));
        expect(text.trim().length, template.key).toBeGreaterThan(0);
      }
    });
  }

  it('fills every MESSAGE_VARIABLES entry with words, for both audiences and before a start', () => {
    const spec = builtInPlaybookSpecs()[0]!.spec;
    const draft = realisticFacts(spec, {
      release: { ...realisticFacts(spec).release, state: 'draft', currentStageIndex: -1, startedAt: null, stages: realisticFacts(spec).release.stages.map((s) => ({ ...s, enteredAt: null })) },
      analysis: null,
      incident: null,
      openIncidents: 0,
      contacts: [],
      previousVersion: null,
      reason: null,
      figures: { canary: { requests: 0, errors: 0, latencyP95Ms: null }, baseline: { requests: 0, errors: 0, latencyP95Ms: null }, windowMinutes: 5 },
    });
    for (const facts of [realisticFacts(spec), draft]) {
      for (const audience of ['internal', 'external'] as const) {
        const variables = messageVariables(facts, spec.incidentLevels, audience);
        expect(Object.keys(variables).sort()).toEqual(Object.keys(MESSAGE_VARIABLES).sort());
        for (const [name, value] of Object.entries(variables)) {
          expect(value.trim(), name).not.toBe('');
          for (const pattern of UNFILLED) expect(value, name).not.toMatch(pattern);
        }
      }
    }
    const unknowns = messageVariables(draft, spec.incidentLevels);
    expect(unknowns).toMatchObject({
      onCall: 'unknown (no on-call contact named)',
      contacts: 'unknown (no contacts named)',
      errorRate: 'unknown (no canary requests in the last 5 minutes)',
      latencyP95: 'unknown (no canary latency reported in the last 5 minutes)',
      health: 'Unknown (not started yet)',
      timeLeft: 'unknown (not started yet)',
      severity: 'unknown (no incident reported)',
      incident: 'none reported',
      startedAt: 'not started yet',
      reason: 'no reason given',
      previousVersion: 'the previous version (not recorded in Rampart)',
    });
  });

  it('says times in words with UTC, health from passing gates, and the watch end', () => {
    const spec = builtInPlaybookSpecs().find((p) => p.key === 'valine-canary')!.spec;
    const facts = realisticFacts(spec, { openIncidents: 0 });
    const variables = messageVariables(facts, spec.incidentLevels);
    expect(variables).toMatchObject({
      now: '2025-11-05 14:40 UTC',
      startedAt: '2025-11-05 14:00 UTC',
      health: 'Healthy',
      issues: 'none: every gate passes',
      errorRate: '0.30%',
      baselineErrorRate: '0.40%',
      latencyP95: '1.20 s',
      onCall: expect.not.stringMatching(/unknown/),
    });
    // Stage 2 (25%) is baked for an hour and was entered ten minutes ago.
    expect(variables.timeLeft).toBe('50 minutes');
    expect(variables.nextStepAt).toBe('15:30 UTC');
    expect(variables.watchEndsAt).toBe('unknown (100% not reached yet)'.replace('100%', spec.stages.at(-1)!.name));

    // At full traffic, entered at 16:00, with its 2-hour watch: "Will sign off at 18:00 UTC".
    const last = spec.stages.length - 1;
    const atFull = realisticFacts(spec, {
      now: new Date('2025-11-05T16:00:00Z'),
      release: {
        ...facts.release,
        currentStageIndex: last,
        stages: facts.release.stages.map((s, i) => ({ ...s, enteredAt: i === last ? new Date('2025-11-05T16:00:00Z') : minutesAgo(60) })),
      },
    });
    expect(messageVariables(atFull, spec.incidentLevels).watchEndsAt).toBe(spec.stages[last]!.minBakeSeconds === 7200 ? '18:00 UTC' : expect.any(String));
  });

  it('a just-ramped stage is healthy when the stage it left passed; a failing gate is degraded', () => {
    const spec = builtInPlaybookSpecs().find((p) => p.key === 'valine-canary')!.spec;
    const facts = realisticFacts(spec, { openIncidents: 0 });
    const justRamped = { ...facts, analysis: { stage: spec.stages[0]!.key, gates: [{ verdict: 'pass' as const, summary: 'fine' }] } };
    expect(messageVariables(justRamped, []).health).toBe('Healthy');
    const failing = { ...facts, analysis: { stage: spec.stages[1]!.key, gates: [{ verdict: 'fail' as const, summary: 'Error rate 3% is above 1%.' }] } };
    expect(messageVariables(failing, [])).toMatchObject({ health: 'Degraded (a gate is failing or warning)', issues: 'Error rate 3% is above 1%.' });
    expect(messageVariables({ ...facts, openIncidents: 1 }, []).health).toBe('Degraded (an incident is open)');
  });

  it('keeps incident titles, handlers and contacts out of external templates', () => {
    const spec = builtInPlaybookSpecs()[0]!.spec;
    const external = messageVariables(realisticFacts(spec), spec.incidentLevels, 'external');
    expect(external).toMatchObject({ incident: 'Some payments are slow.', incidentHandler: 'our on-call team', onCall: 'our on-call team', contacts: 'our release team' });
    expect(JSON.stringify(external)).not.toContain('Checkout failing');
    expect(JSON.stringify(external)).not.toContain('Dana');
  });
});

describe("seed 003's incident severities", () => {
  it('render differently, each with its own response from the incident levels', () => {
    const { spec } = builtInPlaybookSpecs().find((p) => p.key === 'workers-phased')!;
    const templates = spec.messages.filter((m) => m.kind === 'incident' && m.severity);
    expect(templates.map((t) => t.severity)).toEqual(['P0', 'P1', 'P2', 'P3']);
    const facts = realisticFacts(spec);
    const texts = templates.map((template) => {
      const variables = variablesForTemplate(template, messageVariables(facts, spec.incidentLevels, template.audience), spec.incidentLevels);
      expect(variables.severityResponse).toBe(spec.incidentLevels.find((l) => l.level === template.severity)!.response);
      return renderMessage(template, variables).text;
    });
    expect(new Set(texts).size).toBe(4);
    texts.forEach((text, i) => expect(text).toContain(`Severity: ${templates[i]!.severity}`));
  });
});
