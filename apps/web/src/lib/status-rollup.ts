// The status page's banner, derived from the same per-release health its cards show, so the banner can
// never call healthy what a card calls unknown (the server's own summary counts "no evidence" as fine).
import type { TStatusPage } from '@rampart/contracts';
import type { Tone } from './format';

export interface TRollup {
  kind: 'all_good' | 'rolling_out' | 'unknown' | 'degraded' | 'rolling_back';
  icon: string;
  text: string;
  tone: Tone;
}

function count(n: number, one: string, many: string): string {
  return n === 1 ? `a ${one}` : `${n} ${many}`;
}

export function rollupOf(active: readonly TStatusPage['active'][number][]): TRollup {
  const rollingBack = active.filter((r) => r.state === 'rolling_back').length;
  const degraded = active.filter((r) => r.health === 'degraded').length;
  const unknown = active.filter((r) => r.health === 'unknown').length;
  if (rollingBack > 0) {
    return { kind: 'rolling_back', icon: '↺', text: `Rolling back: ${count(rollingBack, 'release is', 'releases are')} being undone`, tone: 'bad' };
  }
  if (degraded > 0) {
    return { kind: 'degraded', icon: '!', text: `Degraded: ${count(degraded, 'release in progress looks', 'releases in progress look')} unhealthy`, tone: 'bad' };
  }
  if (unknown > 0) {
    const which = count(unknown, 'release in progress', 'releases in progress');
    return { kind: 'unknown', icon: '?', text: `Rolling out: the health of ${which} is not known yet (no evidence)`, tone: 'neutral' };
  }
  if (active.length > 0) {
    return { kind: 'rolling_out', icon: '▶', text: `Rolling out: ${count(active.length, 'release is', 'releases are')} in progress and healthy`, tone: 'info' };
  }
  return { kind: 'all_good', icon: '✓', text: 'All good: no release is causing trouble', tone: 'good' };
}
