import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PLAYBOOKS, builtInPlaybookSpecs } from '../../src/playbooks/built-in.js';

describe('built-in playbooks', () => {
  it('are the five seeds, in seed order, each from its document', () => {
    expect(BUILT_IN_PLAYBOOKS.map((p) => p.key)).toEqual([
      'pharmacy-canary',
      'production-rollout',
      'vercel-staging-canary',
      'workers-phased',
      'valine-canary',
    ]);
    BUILT_IN_PLAYBOOKS.forEach((playbook, index) => {
      expect(playbook.sourceDocument.startsWith(`docs/seeds/00${index}_`)).toBe(true);
      expect(existsSync(new URL(`../../../../${playbook.sourceDocument}`, import.meta.url))).toBe(true);
    });
  });

  it('parse, with defaults applied', () => {
    const specs = builtInPlaybookSpecs();
    expect(specs.map((s) => s.key)).toEqual(BUILT_IN_PLAYBOOKS.map((p) => p.key));
    for (const { spec } of specs) {
      expect(spec.stages[spec.stages.length - 1]?.trafficPercent).toBe(100);
      expect(spec.automation.autoAdvance).toBe(false);
    }
  });
});
