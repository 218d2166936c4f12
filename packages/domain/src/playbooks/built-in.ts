// The five seed rollout documents (docs/seeds) as built-in playbooks, in seed order.
import { ZPlaybookSpec } from '@rampart/contracts';
import type { TPlaybookSpec, TPlaybookSpecInput } from '@rampart/contracts';
import { pharmacyCanaryPlaybook } from './seeds/pharmacy-canary.js';
import { productionRolloutPlaybook } from './seeds/production-rollout.js';
import { vercelStagingCanaryPlaybook } from './seeds/vercel-staging-canary.js';
import { workersPhasedPlaybook } from './seeds/workers-phased.js';
import { valineCanaryPlaybook } from './seeds/valine-canary.js';

export interface TBuiltInPlaybook {
  key: string;
  name: string;
  description: string;
  /** The document this playbook encodes, relative to the repository root. */
  sourceDocument: string;
  spec: TPlaybookSpecInput;
}

export const BUILT_IN_PLAYBOOKS: readonly TBuiltInPlaybook[] = [
  pharmacyCanaryPlaybook,
  productionRolloutPlaybook,
  vercelStagingCanaryPlaybook,
  workersPhasedPlaybook,
  valineCanaryPlaybook,
];

/** Each built-in playbook's key with its spec parsed (defaults applied); throws if one is invalid. */
export function builtInPlaybookSpecs(): { key: string; spec: TPlaybookSpec }[] {
  return BUILT_IN_PLAYBOOKS.map((playbook) => ({ key: playbook.key, spec: ZPlaybookSpec.parse(playbook.spec) }));
}
