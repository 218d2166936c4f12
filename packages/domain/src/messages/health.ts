// A release's health in one word, with the reason when it is not plainly healthy: what the progress
// updates say ("Status: Healthy") and what the public status page's cards and banner show.
import type { TGateVerdict, TReleaseState } from '@rampart/contracts';

export type THealthWord = 'healthy' | 'degraded' | 'unknown';

export interface THealth {
  word: THealthWord;
  /** Why it is degraded or unknown; null when healthy. */
  why: string | null;
}

export interface THealthInput {
  state: TReleaseState;
  currentStageIndex: number;
  stages: readonly { key: string; name: string }[];
  /** The latest analysis: which stage it judged and its gates' verdicts. */
  analysis: { stage: string | null; verdicts: readonly TGateVerdict[] } | null;
  openIncidents: number;
}

/** The verdicts say healthy when nothing fails or warns and some gate has passed; inconclusive ones still gather data. */
function judged(verdicts: readonly TGateVerdict[]): THealthWord {
  if (verdicts.some((v) => v === 'fail' || v === 'warn')) return 'degraded';
  return verdicts.some((v) => v === 'pass') ? 'healthy' : 'unknown';
}

export function releaseHealth(input: THealthInput): THealth {
  const { state, analysis } = input;
  if (state === 'rolling_back') return { word: 'degraded', why: 'rolling back' };
  if (state === 'rolled_back') return { word: 'degraded', why: 'rolled back' };
  if (input.openIncidents > 0) return { word: 'degraded', why: input.openIncidents === 1 ? 'an incident is open' : `${input.openIncidents} incidents are open` };
  if (state === 'aborted') return { word: 'unknown', why: 'aborted' };
  const stage = input.stages[input.currentStageIndex];
  if (!stage) return { word: 'unknown', why: 'not started yet' };
  if (analysis && analysis.stage === stage.key) {
    const word = judged(analysis.verdicts);
    if (word === 'degraded') return { word, why: 'a gate is failing or warning' };
    if (word === 'healthy') return { word, why: null };
    return { word, why: analysis.verdicts.length === 0 ? `no gate judges ${stage.name}` : `not enough data yet at ${stage.name}` };
  }
  // Just ramped: the stage left behind passed, which is why it could be left; the new one has no verdict yet.
  const previous = input.stages[input.currentStageIndex - 1];
  if (analysis && previous && analysis.stage === previous.key && judged(analysis.verdicts) === 'healthy') return { word: 'healthy', why: null };
  return { word: 'unknown', why: `no verdict yet at ${stage.name}` };
}

const WORDS: Record<THealthWord, string> = { healthy: 'Healthy', degraded: 'Degraded', unknown: 'Unknown' };

/** "Healthy", "Degraded (rolling back)", "Unknown (not enough data yet at Canary 5%)". */
export function healthInWords(health: THealth): string {
  return health.why ? `${WORDS[health.word]} (${health.why})` : WORDS[health.word];
}
