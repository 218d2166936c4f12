import type { TActionAvailability, TRelease, TReleaseStage } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { bakeBlocker, withLiveBake } from '../src/lib/bake';
import { bakeText, summariseBlockers } from '../src/lib/format';

const enteredAt = Date.parse('2026-11-29T12:00:00.000Z');
const stage: TReleaseStage = {
  position: 0,
  key: 'canary-10',
  name: 'Canary 10%',
  trafficPercent: 10,
  minBakeSeconds: 3600,
  maxBakeSeconds: null,
  signoff: [],
  status: 'current',
  enteredAt: new Date(enteredAt).toISOString(),
  exitedAt: null,
  bakeEndsAt: new Date(enteredAt + 3600_000).toISOString(),
};
const release = { stages: [stage], currentStageIndex: 0 } as unknown as TRelease;
const bakeEnd = enteredAt + 3600_000;

/** What a cached read carries: the bake blocker as the server wrote it up to a minute earlier. */
function cachedRamp(secondsLeft: number, others: TActionAvailability['blockers'] = []): TActionAvailability {
  return {
    action: 'ramp',
    legal: true,
    allowed: false,
    forceable: true,
    reason: null,
    blockers: [
      { kind: 'bake_time', message: `${Math.round(secondsLeft / 60)}m of bake time left at Canary 10% (minimum 1h)`, detail: { stage: 'canary-10', secondsLeft } },
      ...others,
    ],
  };
}

describe('the bake countdown and the bake blocker', () => {
  it('words the blocker as the domain does, from bakeEndsAt and the given server time', () => {
    expect(bakeBlocker(stage, bakeEnd - 28 * 60_000 - 1_000)?.message).toBe('28m 1s of bake time left at Canary 10% (minimum 1h)');
    expect(bakeBlocker(stage, bakeEnd)).toBeNull();
    expect(bakeBlocker({ ...stage, status: 'done' }, enteredAt)).toBeNull();
  });

  it('never shows "bake time over" beside a bake blocker, whatever the cached blocker said', () => {
    // The case from the issue: a cached read still says 59m 32s left; the clock is past bakeEndsAt.
    const stale = cachedRamp(59 * 60 + 32);
    for (const now of [bakeEnd - 61_000, bakeEnd - 1_500, bakeEnd - 1, bakeEnd, bakeEnd + 1, bakeEnd + 90_000]) {
      const countdown = bakeText(stage.bakeEndsAt, now);
      const ramp = withLiveBake(stale, release, now);
      const bakeLines = ramp.blockers.filter((b) => b.kind === 'bake_time');
      expect(bakeLines.length === 0).toBe(countdown.done);
      if (!countdown.done) expect(bakeLines[0]?.message.startsWith(countdown.text.replace(' left to bake', ' of bake time left'))).toBe(true);
    }
  });

  it('lets an action the server held only for its bake go once the bake is over, and keeps the other blockers', () => {
    expect(withLiveBake(cachedRamp(10), release, bakeEnd + 1).allowed).toBe(true);
    expect(withLiveBake(cachedRamp(10), release, bakeEnd - 5_000).allowed).toBe(false);
    const gate = { kind: 'gate_failing' as const, message: 'Gate failing: Error rate', detail: {} };
    const held = withLiveBake(cachedRamp(10, [gate]), release, bakeEnd + 1);
    expect(held.allowed).toBe(false);
    expect(summariseBlockers(held.blockers)).toEqual(['Gate failing: Error rate']);
  });

  it('adds the bake blocker when the cached read is older than the stage entry it shows', () => {
    const ramp: TActionAvailability = { action: 'ramp', legal: true, allowed: true, forceable: true, reason: null, blockers: [] };
    const now = bakeEnd - 30 * 60_000;
    const live = withLiveBake(ramp, release, now);
    expect(live.allowed).toBe(false);
    expect(live.blockers.map((b) => b.message)).toEqual(['30m of bake time left at Canary 10% (minimum 1h)']);
    const pause: TActionAvailability = { ...ramp, action: 'pause' };
    expect(withLiveBake(pause, release, now)).toBe(pause);
  });
});
