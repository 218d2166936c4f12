// What the judgement engine concluded about a release's current stage, with its evidence.
import { z } from 'zod';
import { ZIsoDate } from './common.js';
import { ZGateSeverity, ZGateVerdict } from './enums.js';

export const ZGateEvidence = z.object({
  canary: z.number().nullable().describe("The canary's value over the window, in the metric's unit"),
  baseline: z.number().nullable(),
  threshold: z.number().nullable().describe('The limit the canary was held to'),
  windowSeconds: z.number(),
  sampleSize: z.number().describe('Canary requests (or checks, or points) in the window'),
  /** How long the breach has held so far, for sustained gates. */
  breachedForSeconds: z.number().nullable(),
  /** For the sequential comparison: the e-value and the level it must reach (1/alpha) to fail. */
  eValue: z.number().nullable(),
  eValueToFail: z.number().nullable(),
});
export type TGateEvidence = z.infer<typeof ZGateEvidence>;

export const ZGateEvaluation = z
  .object({
    key: z.string(),
    name: z.string(),
    kind: z.string(),
    metric: z.string(),
    severity: ZGateSeverity,
    verdict: ZGateVerdict,
    /** One sentence a person reads: why this verdict. */
    summary: z.string(),
    evidence: ZGateEvidence,
  })
  .meta({ id: 'GateEvaluation' });
export type TGateEvaluation = z.infer<typeof ZGateEvaluation>;

export const ZScoreItem = z.object({
  gate: z.string(),
  verdict: ZGateVerdict,
  weight: z.number(),
  points: z.number(),
});

export const ZAnalysis = z
  .object({
    evaluatedAt: ZIsoDate,
    stage: z.string().nullable(),
    verdict: ZGateVerdict.describe('fail if any gate fails, else inconclusive if any is, else warn if any warns, else pass'),
    score: z.number().min(0).max(100).describe('Kayenta-style: the weighted share of gates passing'),
    breakdown: z.array(ZScoreItem),
    gates: z.array(ZGateEvaluation),
  })
  .meta({ id: 'Analysis' });
export type TAnalysis = z.infer<typeof ZAnalysis>;
