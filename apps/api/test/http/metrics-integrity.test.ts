// Points that cannot both be true are refused: a point resent with a different value (a second pusher
// counting the same traffic), and counters pushed as running totals instead of per-window counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';

let t: TTestApp;
let pipeline: TClient;
let playbookId: string;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const WINDOW = 10_000;

beforeAll(async () => {
  t = await startTestApp();
  playbookId = await createTestPlaybook(t);
  pipeline = await pipelineClient(t);
});
afterAll(async () => t.close());

async function newRelease(service: string): Promise<string> {
  return (await createTestRelease(t, playbookId, service)).id;
}

function push(releaseId: string, points: unknown[]) {
  return pipeline.post(`/api/releases/${releaseId}/metrics`, { points });
}

const scalar = (ts: number, cohort: string, metric: string, value: number) => ({ ts, cohort, metric, value });

/** A seeded generator (mulberry32), so the genuine traffic below is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), s | 1);
    r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson count of mean `mean` (normal approximation above 50). */
function poisson(random: () => number, mean: number): number {
  if (mean > 50) {
    const z = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k += 1;
  return k;
}

describe('conflicting duplicates', () => {
  it('takes a resent point with the same value as a no-op, and refuses one with a different value, storing nothing of its batch', async () => {
    const releaseId = await newRelease('dup-stored');
    const first = [scalar(T0, 'canary', 'requests', 100), scalar(T0, 'canary', 'errors', 2)];
    expect((await push(releaseId, first)).json()).toEqual({ accepted: 2, stored: 2, duplicates: 0 });
    expect((await push(releaseId, first)).json()).toEqual({ accepted: 2, stored: 0, duplicates: 2 });

    const doubled = await push(releaseId, [
      scalar(T0 + WINDOW, 'canary', 'requests', 90),
      scalar(T0, 'canary', 'errors', 2),
      scalar(T0, 'canary', 'requests', 200),
    ]);
    expect(doubled.statusCode).toBe(400);
    expect(doubled.json().field).toBe('body.points.2.value');
    expect(doubled.json().message).toMatch(/points\.2\.value: conflicts: a point already stored .* different value/);
    expect(doubled.json().message).toMatch(/nothing of this batch was stored/);
    const rows = await t.db.metricPoint.findMany({ where: { releaseId, cohort: 'canary', metric: 'requests' }, orderBy: { ts: 'asc' } });
    expect(rows.map((r) => [r.ts.getTime(), r.value])).toEqual([[T0, 100]]);
  });

  it('refuses two points of one batch that disagree, naming the later and the earlier', async () => {
    const releaseId = await newRelease('dup-batch');
    const response = await push(releaseId, [
      scalar(T0, 'baseline', 'requests', 1000),
      scalar(T0, 'canary', 'requests', 50),
      scalar(T0 + WINDOW, 'canary', 'requests', 50),
      scalar(T0, 'canary', 'requests', 51),
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('body.points.3.value');
    expect(response.json().message).toMatch(/points\.1 has the same metric, cohort and time with a different value/);
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(0);

    // The same point twice in a batch with one value is fine.
    const same = await push(releaseId, [scalar(T0, 'canary', 'requests', 50), scalar(T0, 'canary', 'requests', 50)]);
    expect(same.json()).toEqual({ accepted: 2, stored: 1, duplicates: 1 });
  });

  it('applies to histograms too', async () => {
    const releaseId = await newRelease('dup-histogram');
    const histogram = (count: number) => ({
      ts: T0,
      cohort: 'canary',
      metric: 'latency_ms',
      buckets: [
        { le: 100, count },
        { le: '+Inf', count: 100 },
      ],
    });
    expect((await push(releaseId, [histogram(60)])).json()).toEqual({ accepted: 1, stored: 1, duplicates: 0 });
    expect((await push(releaseId, [histogram(60)])).json()).toEqual({ accepted: 1, stored: 0, duplicates: 1 });
    const other = await push(releaseId, [scalar(T0, 'canary', 'requests', 100), histogram(70)]);
    expect(other.statusCode).toBe(400);
    expect(other.json().field).toBe('body.points.1.buckets');
    expect(other.json().message).toMatch(/already stored .* different histogram/);
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(0);
  });

  it('catches a conflict between two batches sent at once, whichever commits first', async () => {
    const releaseId = await newRelease('dup-race');
    const batch = (value: number) => Array.from({ length: 500 }, (_, i) => scalar(T0 + i * 1000, 'canary', 'errors', value + (i % 3)));
    const [a, b] = await Promise.all([push(releaseId, batch(5)), push(releaseId, batch(6))]);
    expect([a.statusCode, b.statusCode].sort(), `${a.body} ${b.body}`).toEqual([202, 400]);
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(500);
  });
});

describe('cumulative counters', () => {
  it("refuses a baseline's raw counter (a running total since the process started), saying why", async () => {
    const releaseId = await newRelease('cumulative-old');
    const random = seeded(1);
    // About 200 requests a second for three days before the release.
    let total = 50_000_000;
    const points = [];
    for (let i = 0; i < 12; i++) {
      total += poisson(random, 2000);
      points.push(scalar(T0 + i * WINDOW, 'baseline', 'requests', total), scalar(T0 + i * WINDOW, 'canary', 'requests', poisson(random, 500)));
    }
    const response = await push(releaseId, points);
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('body.points.22.value');
    expect(response.json().message).toMatch(/baseline requests looks cumulative .*per-window counts/);
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(0);
  });

  it('judges a batch with the points stored before it: a running total sent in small batches is refused once it shows', async () => {
    const releaseId = await newRelease('cumulative-trickle');
    const random = seeded(2);
    let errors = 1_200_000;
    const statuses: number[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const points = [];
      for (let i = 0; i < 5; i++) {
        errors += poisson(random, 40);
        points.push(scalar(T0 + (batch * 5 + i) * WINDOW, 'canary', 'errors', errors));
      }
      statuses.push((await push(releaseId, points)).statusCode);
    }
    // 12 rising points are needed: two batches of 5 pass, the third completes the run.
    expect(statuses).toEqual([202, 202, 400]);
  });

  it('refuses a fresh canary counter that climbs from zero once it has climbed for 40 windows', async () => {
    const releaseId = await newRelease('cumulative-fresh');
    const random = seeded(3);
    let total = 0;
    const points = Array.from({ length: 60 }, (_, i) => scalar(T0 + i * WINDOW, 'canary', 'requests', (total += poisson(random, 5000))));
    const response = await push(releaseId, points);
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('body.points.39.value');
    expect(response.json().message).toMatch(/climbed from .* at each of 40 points/);
  });

  it('accepts genuine per-window counts from growing and ramping traffic', async () => {
    const random = seeded(4);
    // An hour of 10-second windows per case, pushed a minute at a time.
    const shapes: [string, (w: number) => number][] = [
      ['steady at 1000 req/s', () => 10_000],
      ['growing 3x over the hour at 100 req/s', (w) => 1000 * (1 + (2 * w) / 360)],
      ['a daily swing at 10k req/s', (w) => 100_000 * (1 + 0.5 * Math.sin((w / 360) * Math.PI))],
      ['a load-balancer ramp from zero over 5 minutes', (w) => 20_000 * Math.min(1, w / 30)],
      ['stage steps 1%, 5%, 25%, 50%, 100%', (w) => 50_000 * [0.01, 0.05, 0.25, 0.5, 1][Math.min(4, Math.floor(w / 72))]!],
    ];
    for (const [name, rate] of shapes) {
      const releaseId = await newRelease(`genuine-${shapes.findIndex(([n]) => n === name)}`);
      for (let minute = 0; minute < 60; minute++) {
        const points = [];
        for (let i = 0; i < 6; i++) {
          const w = minute * 6 + i;
          const requests = poisson(random, rate(w));
          points.push(scalar(T0 + w * WINDOW, 'canary', 'requests', requests), scalar(T0 + w * WINDOW, 'canary', 'errors', poisson(random, requests * 0.01)));
        }
        const response = await push(releaseId, points);
        expect(response.statusCode, `${name}, minute ${minute}: ${response.body}`).toBe(202);
      }
    }
  });
});
