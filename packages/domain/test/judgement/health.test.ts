import { describe, expect, it } from 'vitest';
import { judge } from '../../src/judgement/index.js';
import { BIN, T0, bin, input, seedGate, series } from './fixtures.js';
import type { TBin } from '../../src/judgement/index.js';

/** One health check per bin (1 passing, 0 failing), from T0. */
function checks(results: number[]): TBin[] {
  return results.map((ok, i) => bin(T0 + i * BIN, ok, 1, ok));
}

function judgeHealth(gateKey: string, health: TBin[], now = T0 + health.length * BIN) {
  const g = { ...seedGate('workers-phased', gateKey), stages: undefined };
  const analysis = judge(input({ now, gates: [g], scalars: { health_ok: series(health) } }));
  return analysis.gates[0]!;
}

describe('consecutive_failures: seed 003, "health check 3 consecutive failures" and "failing for 2 minutes"', () => {
  it('fails on the third failure in a row, not the second', () => {
    const two = judgeHealth('health-3-consecutive-failures', checks([1, 1, 1, 0, 0]));
    expect(two.verdict).toBe('pass');
    expect(two.evidence.canary).toBe(2);
    const three = judgeHealth('health-3-consecutive-failures', checks([1, 1, 1, 0, 0, 0]));
    expect(three.verdict).toBe('fail');
    expect(three.severity).toBe('rollback');
    expect(three.summary).toContain('failed 3 times in a row');
  });

  it('warns on 2 failures with the warn-severity gate', () => {
    expect(judgeHealth('health-2-consecutive-failures', checks([1, 0, 0])).verdict).toBe('warn');
  });

  it('a success resets the run', () => {
    const reset = judgeHealth('health-3-consecutive-failures', checks([0, 0, 1, 0, 0]));
    expect(reset.verdict).toBe('pass');
    expect(reset.evidence.canary).toBe(2);
  });

  it('reads the run inside a bin from its latest check when checks are faster than the bins', () => {
    // Two checks a bin: [pass, fail] then [fail, fail]: at least 3 failures in a row.
    const fast = [bin(T0, 1, 2, 0), bin(T0 + BIN, 0, 2, 0)];
    expect(judgeHealth('health-3-consecutive-failures', fast).verdict).toBe('fail');
    // [fail, pass] then [fail, fail]: only the last two are known to be in a row.
    const recovered = [bin(T0, 1, 2, 1), bin(T0 + BIN, 0, 2, 0)];
    expect(judgeHealth('health-3-consecutive-failures', recovered).verdict).toBe('pass');
  });

  it('fails once checks have failed without a success for 2 minutes, not before', () => {
    const failing = checks([1, ...Array<number>(12).fill(0)]); // failing from T0 + 10 s
    const start = T0 + BIN;
    const before = judgeHealth('auto-rollback-health-failing-2min', failing, start + 119_000);
    expect(before.verdict).toBe('pass');
    expect(before.evidence.breachedForSeconds).toBe(119);
    const at = judgeHealth('auto-rollback-health-failing-2min', failing, start + 120_000);
    expect(at.verdict).toBe('fail');
    expect(at.evidence.breachedForSeconds).toBe(120);
  });

  it('is inconclusive without recent checks', () => {
    expect(judgeHealth('health-3-consecutive-failures', []).verdict).toBe('inconclusive');
    const stale = judgeHealth('health-3-consecutive-failures', checks([1, 1]), T0 + 10 * 60_000);
    expect(stale.verdict).toBe('inconclusive');
  });
});
