// The service each gate setting watches when healthy. A team writes absolute lines ("error rate above 1%",
// "P95 above 200 ms") around its own service, so each playbook is run against a service that meets its own
// lines with room to spare: otherwise a rollout "fails" because the service was never inside its SLO, which
// says nothing about the canary. Where a playbook has no absolute line, the reference service is used.
import type { TLatencyShape } from './traffic/latency.js';

export interface TServiceProfile {
  key: string;
  /** Mean error rate (errors / requests) of both cohorts when healthy. */
  errorRate: number;
  latency: TLatencyShape;
  /** Chance that one health check of a healthy host fails anyway (a probe timeout). */
  healthFailure: number;
  /** The sentence the report prints. */
  description: string;
}

const BODY = { sigma: 0.5, tailWeight: 0, tailAlpha: 1.5 };

/** The reference service of the documented two-gate setting (and of the earlier simulation): 1% errors, P95 ≈ 230 ms. */
export const REFERENCE_PROFILE: TServiceProfile = {
  key: 'reference',
  errorRate: 0.01,
  latency: { medianMs: 100, ...BODY },
  healthFailure: 0.001,
  description: '1% errors, median 100 ms (P95 ≈ 230 ms)',
};

const BY_PLAYBOOK: Record<string, TServiceProfile> = {
  'pharmacy-canary': { ...REFERENCE_PROFILE, key: 'pharmacy-canary', description: `${REFERENCE_PROFILE.description} (no absolute line)` },
  'production-rollout': {
    ...REFERENCE_PROFILE,
    key: 'production-rollout',
    errorRate: 0.003,
    description: '0.3% errors (line: 1% for 5 min), median 100 ms (P95 ≈ 230 ms; line 1 s)',
  },
  'vercel-staging-canary': {
    ...REFERENCE_PROFILE,
    key: 'vercel-staging-canary',
    errorRate: 0.003,
    latency: { medianMs: 55, ...BODY },
    description: '0.3% errors (lines: 1% warn, 5%), median 55 ms (P95 ≈ 125 ms; lines 200 ms warn, 500 ms)',
  },
  'workers-phased': {
    ...REFERENCE_PROFILE,
    key: 'workers-phased',
    errorRate: 0.0001,
    description: '0.01% errors (lines: 0.1% warn … 1%; 5xx above 20 a minute, which at 1000 req/s allows at most 0.033%), median 100 ms (P95 ≈ 230 ms; lines 500 ms warn … 2 s)',
  },
  'valine-canary': {
    ...REFERENCE_PROFILE,
    key: 'valine-canary',
    errorRate: 0.0003,
    description: '0.03% errors (availability line 99.9%, error lines 1% warn … 5%), median 100 ms (P95 ≈ 230 ms; lines 2 s warn, 5 s)',
  },
};

export function profileFor(playbookKey: string): TServiceProfile {
  return BY_PLAYBOOK[playbookKey] ?? REFERENCE_PROFILE;
}
