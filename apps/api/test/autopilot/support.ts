import type { TPlaybookSpecInput } from '@rampart/contracts';

/** A playbook with no gates and no automation: the autopilot judges and records, and never acts. */
export const QUIET_SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 600 },
  ],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};
