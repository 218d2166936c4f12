// The five built-in playbooks as a whole: the operations around the metrics (rollback procedure, incident
// responses, contacts, communication moments, watch, windows) are there for every seed whose document asks
// for them, each with its source. Line-for-line checks against each document are in ../seeds/.
import { describe, expect, it } from 'vitest';
import { INCIDENT_SCALES, MESSAGE_VARIABLES, ZPlaybookSpec } from '@rampart/contracts';
import type { TPlaybookSpec } from '@rampart/contracts';
import { BUILT_IN_PLAYBOOKS, builtInPlaybookSpecs } from '../../src/playbooks/built-in.js';

const specs = builtInPlaybookSpecs();
const byKey = (key: string): TPlaybookSpec => specs.find((s) => s.key === key)!.spec;

describe('built-in playbook specs', () => {
  it.each(BUILT_IN_PLAYBOOKS.map((p) => [p.key, p]))('%s parses with ZPlaybookSpec', (_key, playbook) => {
    const result = ZPlaybookSpec.safeParse(playbook.spec);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it.each(specs.map((s) => [s.key, s.spec]))('%s leaves no "[...]" blank in a template and uses only known variables', (_key, spec) => {
    for (const message of spec.messages) {
      expect(message.body, message.key).not.toMatch(/\[[^\]\n]*\]/);
      expect(message.title, message.key).not.toMatch(/\[[^\]\n]*\]/);
      for (const [, name] of message.body.matchAll(/\{\{\{?\s*[#^/&]?\s*([\w.]+)\s*\}?\}\}/g)) {
        expect(Object.keys(MESSAGE_VARIABLES), `${message.key} uses {{${name}}}`).toContain(name);
      }
    }
  });

  it.each(specs.map((s) => [s.key, s.spec]))('%s gives a source for every stage, gate, incident response and window', (_key, spec) => {
    const sources = [...spec.stages, ...spec.gates, ...spec.incidentResponses, ...spec.windows].map((x) => x.source ?? '');
    expect(sources.filter((s) => s.trim() === '')).toEqual([]);
  });

  it.each(specs.map((s) => [s.key, s.spec]))('%s has a rollback procedure with required steps and owners', (_key, spec) => {
    const procedure = spec.checklist.flatMap((s) => s.items).filter((i) => i.phase === 'on_rollback');
    expect(procedure.length).toBeGreaterThanOrEqual(3);
    expect(procedure.some((i) => i.required)).toBe(true);
    // Conditional steps are optional; unconditional ones are required.
    for (const item of procedure) {
      const conditional = /\b(if needed|if applicable|if in progress|if user-facing|is non-reversible|after fix|future backend)\b/i.test(item.text);
      expect(item.required, item.text).toBe(!conditional);
    }
  });

  it('uses each document\'s severity scale, with responses on it', () => {
    expect(specs.map((s) => [s.key, s.spec.incidentScale])).toEqual([
      ['pharmacy-canary', 'SEV1-SEV4'],
      ['production-rollout', 'P0-P3'],
      ['vercel-staging-canary', 'P0-P3'],
      ['workers-phased', 'P0-P3'],
      ['valine-canary', 'P0-P3'],
    ]);
    for (const { spec } of specs) {
      expect(spec.incidentResponses.length).toBeGreaterThan(0);
      const scale: readonly string[] = INCIDENT_SCALES[spec.incidentScale];
      for (const r of spec.incidentResponses) for (const s of r.severities ?? []) expect(scale).toContain(s);
    }
    // 001 and 002 have no scale: their rules go by kind only.
    for (const key of ['production-rollout', 'vercel-staging-canary']) {
      expect(byKey(key).incidentResponses.every((r) => r.severities === undefined && r.kinds !== undefined)).toBe(true);
    }
  });

  it('watches 100% as the documents say, completing by itself only for 001', () => {
    const watch = specs.map((s) => [s.key, s.spec.stages[s.spec.stages.length - 1]!.minBakeSeconds, s.spec.automation.autoComplete]);
    expect(watch).toEqual([
      ['pharmacy-canary', 0, false],
      ['production-rollout', 24 * 3600, true],
      ['vercel-staging-canary', 0, false],
      ['workers-phased', 24 * 3600, false],
      ['valine-canary', 2 * 3600, false],
    ]);
  });

  it('names contacts where the documents do, with on-call people for 000, 002, 003 and 004', () => {
    expect(specs.map((s) => [s.key, s.spec.contacts.filter((c) => c.onCall).length])).toEqual([
      ['pharmacy-canary', 2],
      ['production-rollout', 0],
      ['vercel-staging-canary', 3],
      ['workers-phased', 1],
      ['valine-canary', 3],
    ]);
    for (const { spec } of specs) expect(spec.escalation.acknowledgeWithinSeconds).toBe(900);
  });

  it('has a release window only where the document gives days (004: no Fridays)', () => {
    expect(specs.filter((s) => s.spec.windows.length > 0).map((s) => s.key)).toEqual(['valine-canary']);
  });

  it('keeps status-page texts free of internal detail', () => {
    const external = specs.flatMap((s) => s.spec.messages.filter((m) => m.audience === 'external').map((m) => ({ key: `${s.key}/${m.key}`, body: m.body })));
    expect(external.map((m) => m.key)).toEqual([
      'production-rollout/announcement-external',
      'production-rollout/rolled-back-external',
      'vercel-staging-canary/announcement-external',
      'vercel-staging-canary/complete-external',
      'vercel-staging-canary/rollback-external',
      'workers-phased/incident-external',
      'valine-canary/announcement-external',
      'valine-canary/complete-external',
      'valine-canary/rollback-external',
    ]);
    for (const m of external) expect(m.body, m.key).not.toMatch(/\{\{(notes|reason|issues|incident|incidentHandler|owner|onCall|contacts|releaseUrl)\}\}/);
  });
});
