import { describe, expect, it } from 'vitest';
import { acknowledgeTraffic } from '../../src/index.js';
import { T0, at, buildRelease, runningRelease } from './fixtures.js';

describe('acknowledgeTraffic', () => {
  it('records the applied percent with an event, leaving the input untouched', () => {
    const release = runningRelease(1, T0, { acknowledgedPercent: 0 });
    const before = structuredClone(release);
    const decision = acknowledgeTraffic(release, 5, at(30));
    expect(release).toEqual(before);
    expect(decision).toEqual({
      ok: true,
      release: { ...release, acknowledgedPercent: 5 },
      events: [{ type: 'traffic.acknowledged', data: { percent: 5, desiredPercent: 5 } }],
    });
  });

  it('repeating the same percent is a no-op with no events', () => {
    const release = runningRelease(1);
    expect(acknowledgeTraffic(release, 5, at(30))).toEqual({ ok: true, release, events: [] });
  });

  it('records a percent other than the desired one (the tooling is behind)', () => {
    const decision = acknowledgeTraffic(runningRelease(2), 40, at(1));
    expect(decision).toMatchObject({ ok: true, release: { state: 'running', acknowledgedPercent: 40, desiredPercent: 100 } });
  });

  it('0% while running or paused finishes nothing', () => {
    for (const state of ['running', 'paused'] as const) {
      expect(acknowledgeTraffic(runningRelease(1, T0, { state }), 0, at(1))).toMatchObject({
        ok: true,
        release: { state, acknowledgedPercent: 0, finishedAt: null },
        events: [{ type: 'traffic.acknowledged' }],
      });
    }
  });

  it('finishes a rollback once the tooling reports 0%, not before', () => {
    const rollingBack = runningRelease(1, T0, { state: 'rolling_back', desiredPercent: 0 });
    const partway = acknowledgeTraffic(rollingBack, 2, at(10));
    expect(partway).toMatchObject({ ok: true, release: { state: 'rolling_back', acknowledgedPercent: 2, finishedAt: null } });
    const done = acknowledgeTraffic(rollingBack, 0, at(20));
    expect(done).toEqual({
      ok: true,
      release: { ...rollingBack, state: 'rolled_back', acknowledgedPercent: 0, finishedAt: at(20) },
      events: [
        { type: 'traffic.acknowledged', data: { percent: 0, desiredPercent: 0 } },
        { type: 'release.rolled_back', data: { acknowledgedPercent: 0 } },
      ],
    });
  });

  it('is refused on a finished release unless unchanged or onto its final desired percent', () => {
    const finished = [
      runningRelease(2, T0, { state: 'completed', finishedAt: at(1) }),
      runningRelease(1, T0, { state: 'rolled_back', desiredPercent: 0, acknowledgedPercent: 0, finishedAt: at(1) }),
      buildRelease({ state: 'aborted', finishedAt: at(1) }),
    ];
    for (const release of finished) {
      const changed = release.acknowledgedPercent === 0 ? 5 : 0;
      expect(acknowledgeTraffic(release, changed, at(2))).toEqual({
        ok: false,
        refusal: { kind: 'finished', state: release.state, message: expect.stringContaining('no longer changes') },
      });
      expect(acknowledgeTraffic(release, release.acknowledgedPercent, at(2))).toEqual({ ok: true, release, events: [] });
    }
  });

  it("lets a finished release's traffic converge on its desired percent, state untouched", () => {
    const aborted = buildRelease({ state: 'aborted', acknowledgedPercent: 5, desiredPercent: 0, finishedAt: at(1) });
    const decision = acknowledgeTraffic(aborted, 0, at(2));
    expect(decision).toMatchObject({ ok: true, release: { state: 'aborted', acknowledgedPercent: 0, finishedAt: at(1) } });
    expect(acknowledgeTraffic(aborted, 3, at(2)).ok).toBe(false);
  });
});
