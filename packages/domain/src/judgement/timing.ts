// When a gate starts judging a stage: after the stage's initial delay, so that a canary warming its caches
// and JIT right after a ramp is not judged on its first minutes (Argo Rollouts' `initialDelay`).
import type { TGateSpec } from '@rampart/contracts';
import type { TJudgementInput } from './input.js';

/** The default initial delay of every stage: long enough for a typical JVM or cache warm-up. */
export const DEFAULT_INITIAL_DELAY_SECONDS = 120;

export function initialDelaySeconds(input: Pick<TJudgementInput, 'stage'>, gate?: Pick<TGateSpec, 'initialDelaySeconds'>): number {
  return gate?.initialDelaySeconds ?? input.stage.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY_SECONDS;
}

/** Epoch ms from which the gate judges the current stage. */
export function judgedFrom(input: Pick<TJudgementInput, 'stage'>, gate?: Pick<TGateSpec, 'initialDelaySeconds'>): number {
  return input.stage.enteredAt + initialDelaySeconds(input, gate) * 1000;
}
