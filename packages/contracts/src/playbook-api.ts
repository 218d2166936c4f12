import { z } from 'zod';
import { ZIsoDate, ZSeenRevision, ZUuid } from './common.js';
import { ZPlaybookSpec, ZSlug } from './playbook.js';

export const ZPlaybook = z.object({
  id: ZUuid,
  key: z.string(),
  name: z.string(),
  description: z.string(),
  builtIn: z.boolean(),
  version: z.number().int(),
  spec: ZPlaybookSpec,
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
}).meta({ id: 'Playbook' });
export type TPlaybook = z.infer<typeof ZPlaybook>;

export const ZPlaybookSummary = ZPlaybook.omit({ spec: true }).extend({
  stages: z.array(z.object({ key: z.string(), name: z.string(), trafficPercent: z.number() })),
  gateCount: z.number().int(),
  checklistItemCount: z.number().int(),
});

export const ZCreatePlaybookBody = z.object({
  key: ZSlug,
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).default(''),
  spec: ZPlaybookSpec,
});

export const ZUpdatePlaybookBody = z.object({
  expectedVersion: ZSeenRevision,
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(5000).optional(),
  spec: ZPlaybookSpec.optional(),
});
