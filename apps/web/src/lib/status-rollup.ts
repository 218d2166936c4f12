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

type Card = TStatusPage['active'][number];

/** Open incidents count wherever their card is: a release rolled back by one is finished, its incident is not. */
export function hasOpenIncident(card: Pick<Card, 'incidents'>): boolean {
  return card.incidents.some((i) => i.status === 'open');
}

export function rollupOf(active: readonly Card[], recent: readonly Card[] = []): TRollup {
  const rollingBack = active.filter((r) => r.state === 'rolling_back').length;
  const withIncident = [...active, ...recent].filter(hasOpenIncident).length;
  const degraded = active.filter((r) => r.health === 'degraded').length;
  const unknown = active.filter((r) => r.health === 'unknown').length;
  if (rollingBack > 0) {
    return { kind: 'rolling_back', icon: '↺', text: `Rolling back: ${count(rollingBack, 'release is', 'releases are')} being undone`, tone: 'bad' };
  }
  if (withIncident > 0) {
    return {
      kind: 'degraded',
      icon: '!',
      text: `Incident open: ${withIncident === 1 ? 'a release has' : `${withIncident} releases have`} an open incident`,
      tone: 'bad',
    };
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
