// A draft becomes ready when its checklist and approvals for start are satisfied, and falls back when they no longer are.
import type { TDomainEvent } from './decide.js';
import { readinessBlockers } from './blockers.js';
import type { TReleaseSnapshot } from './snapshot.js';

export function reconcileReadiness(release: TReleaseSnapshot): { release: TReleaseSnapshot; events: TDomainEvent[] } {
  if (release.state !== 'draft' && release.state !== 'ready') return { release, events: [] };
  const blockers = readinessBlockers(release);
  if (release.state === 'draft' && blockers.length === 0) {
    return { release: { ...release, state: 'ready' }, events: [{ type: 'release.ready', data: {} }] };
  }
  if (release.state === 'ready' && blockers.length > 0) {
    return {
      release: { ...release, state: 'draft' },
      events: [{ type: 'release.unready', data: { blockers } }],
    };
  }
  return { release, events: [] };
}
