// The series query's times: a browser's clock estimate can carry a fraction of a millisecond
// (1795936864635.5); that is floored, not refused, while text that is no time at all still gets a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';

let t: TTestApp;
let viewer: TClient;
let releaseId: string;
const T0 = Date.parse('2026-03-02T10:00:00Z');

beforeAll(async () => {
  t = await startTestApp();
  releaseId = (await createTestRelease(t, await createTestPlaybook(t))).id;
  const pipeline = await pipelineClient(t);
  const points = [0, 60_000].map((offset) => ({ ts: T0 + offset, cohort: 'canary', metric: 'requests', value: 100 }));
  expect((await pipeline.post(`/api/releases/${releaseId}/metrics`, { points })).statusCode).toBe(202);
  viewer = await t.as('support');
});
afterAll(async () => t.close());

describe('series time parameters', () => {
  it('floors fractional epoch milliseconds', async () => {
    const fractional = await viewer.get(`/api/releases/${releaseId}/metrics?metric=requests&from=${T0}.5&to=${T0 + 120_000}.25&step=60`);
    expect(fractional.statusCode).toBe(200);
    const whole = await viewer.get(`/api/releases/${releaseId}/metrics?metric=requests&from=${T0}&to=${T0 + 120_000}&step=60`);
    expect(fractional.json()).toEqual(whole.json());
    expect(fractional.json().from).toBe(new Date(T0).toISOString());
    expect(fractional.json().canary.length).toBeGreaterThan(0);
  });

  it.each(['soon', '1e12', '-5', '1795936864635.', '12.5.5', '0x10'])('still refuses from=%s with a 400 naming the field', async (from) => {
    const response = await viewer.get(`/api/releases/${releaseId}/metrics?metric=requests&from=${encodeURIComponent(from)}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('from');
  });
});
