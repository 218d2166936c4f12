// The one random source of the demo's traffic and `pnpm simulate`: its numbers for a seed are pinned, so
// the simulation's published table (docs/simulation.md, seed 20250101) does not move by accident.
import { describe, expect, it } from 'vitest';
import { Random, logFactorial, mix, normalCdf, seedFromText } from '../src/random.js';

describe('the random source', () => {
  it('draws the same numbers for a seed as pnpm simulate always has', () => {
    const r = new Random(20250101);
    expect([r.next(), r.next(), r.next()]).toEqual([0.4145395578816533, 0.9259424370247871, 0.930748104583472]);
    expect(r.poisson(4)).toBe(6);
    expect(r.poisson(2500)).toBe(2336);
    expect(mix(1, 2, 3)).toBe(2357991845);
  });

  it('gives the same draw as an unsigned 32-bit integer', () => {
    const a = new Random(9);
    const b = new Random(9);
    for (let i = 0; i < 1000; i++) {
      const u = a.uint32();
      expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).toBe(true);
      expect(u / 2 ** 32).toBe(b.next());
    }
  });

  it('has a normal, a log-normal and the helpers around it', () => {
    const r = new Random(3);
    const normals = Array.from({ length: 20_000 }, () => r.normal());
    const mean = normals.reduce((x, y) => x + y, 0) / normals.length;
    const variance = normals.reduce((x, y) => x + (y - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const logNormals = Array.from({ length: 5001 }, () => r.logNormal(120, 0.5)).sort((x, y) => x - y);
    expect(logNormals[2500]! / 120).toBeCloseTo(1, 1);
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 10);
    expect(logFactorial(300)).toBeCloseTo(logFactorial(299) + Math.log(300), 6);
    expect(seedFromText('release-1')).toBe(seedFromText('release-1'));
    expect(seedFromText('release-1')).not.toBe(seedFromText('release-2'));
  });
});
