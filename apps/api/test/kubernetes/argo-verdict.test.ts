// The Argo Rollouts Web metric provider contract: what an AnalysisTemplate's `web` metric reads from Rampart
// over HTTP, and what Argo makes of it with the README's jsonPath and conditions. No Kubernetes runs here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TK8sApp } from './support.js';
import { act, argoMeasurement, call, newRelease, observe, signOff, startK8sApp } from './support.js';

let k: TK8sApp;
const statuses: number[] = [];

beforeAll(async () => {
  k = await startK8sApp();
}, 60_000);
afterAll(async () => {
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  await k.t.close();
});

/** As Argo calls it, with the template's Authorization header; null sends none. */
async function verdict(path: string, token: string | null = k.readToken) {
  const answer = await call(k, 'GET', `/api/integrations/argo/${path}`, token === null ? {} : { token });
  statuses.push(answer.status);
  return answer;
}

describe('GET /api/integrations/argo/releases/:id/verdict', () => {
  it('answers the documented shape, and a release not started is Inconclusive to Argo', async () => {
    const release = await newRelease(k, 'shape');
    const answer = await verdict(`releases/${release.id}/verdict`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      releaseId: release.id,
      service: 'shape',
      version: '2.4.0',
      state: 'ready',
      stage: null,
      percent: 0,
      verdict: 'inconclusive',
      score: null,
      passed: false,
      failed: false,
      reason: 'shape 2.4.0 has not started in Rampart',
      gates: [],
    });
    expect(argoMeasurement(answer)).toBe('Inconclusive');
  });

  it('follows the release: inconclusive before its gate is judged, Successful once it passes, Failed when the rollback gate fails', async () => {
    const release = await newRelease(k, 'follows');
    await act(k, release.id, 'start');

    let answer = await verdict(`releases/${release.id}/verdict`);
    expect(answer.body).toMatchObject({ state: 'running', stage: 'canary', percent: 10, verdict: 'inconclusive', passed: false, failed: false });
    expect(answer.body['gates']).toEqual([{ key: 'errors', severity: 'rollback', verdict: 'inconclusive' }]);
    expect(argoMeasurement(answer)).toBe('Inconclusive');

    k.t.clock.advance(300);
    await observe(k, release.id, 0);
    answer = await verdict(`releases/${release.id}/verdict`);
    expect(answer.body).toMatchObject({ verdict: 'pass', passed: true, failed: false, score: 100 });
    expect(argoMeasurement(answer)).toBe('Successful');
    // The plain form from Argo's own example, with the default jsonPath: the whole body is `result`.
    expect(argoMeasurement(answer, { jsonPath: '{$}', successCondition: 'result.verdict == "pass"', failureCondition: 'result.verdict == "fail"' })).toBe('Successful');
    // A narrower jsonPath works as well.
    expect(argoMeasurement(answer, { jsonPath: '{$.passed}', successCondition: 'result == true', failureCondition: 'result == false' })).toBe('Successful');

    k.t.clock.advance(300);
    await observe(k, release.id, 0.5);
    answer = await verdict(`releases/${release.id}/verdict`);
    expect(answer.body).toMatchObject({ verdict: 'fail', passed: false, failed: true, reason: 'Rampart wants follows 2.4.0 rolled back: rollback gate failing: Canary error rate under 5%' });
    expect(argoMeasurement(answer)).toBe('Failed');
  });

  it('holds (Inconclusive) while Rampart pauses, and fails once Rampart rolls back', async () => {
    const release = await newRelease(k, 'held');
    await act(k, release.id, 'start');
    k.t.clock.advance(300);
    await observe(k, release.id, 0);
    await act(k, release.id, 'pause');
    let answer = await verdict(`releases/${release.id}/verdict`);
    expect(answer.body).toMatchObject({ state: 'paused', verdict: 'pass', passed: false, failed: false });
    expect(argoMeasurement(answer)).toBe('Inconclusive');

    await act(k, release.id, 'rollback');
    answer = await verdict(`releases/${release.id}/verdict`);
    expect(answer.body).toMatchObject({ state: 'rolling_back', verdict: 'fail', passed: false, failed: true, percent: 0 });
    expect(argoMeasurement(answer)).toBe('Failed');
  });

  it('passes a completed release', async () => {
    const release = await newRelease(k, 'completed');
    await act(k, release.id, 'start');
    k.t.clock.advance(600);
    await observe(k, release.id, 0);
    await signOff(k, release.id, 'full');
    await act(k, release.id, 'ramp');
    k.t.clock.advance(600);
    await observe(k, release.id, 0);
    await act(k, release.id, 'complete');
    const answer = await verdict(`releases/${release.id}/verdict`);
    expect(answer.body).toMatchObject({ state: 'completed', verdict: 'pass', passed: true, failed: false });
    expect(argoMeasurement(answer)).toBe('Successful');
  });

  it('answers 404 for an unknown release (an Error measurement to Argo), 400 for a malformed id', async () => {
    const unknown = await verdict('releases/5d1c9a43-8a52-4f0e-9a51-1d1b8d0e4b11/verdict');
    expect(unknown.status).toBe(404);
    expect(argoMeasurement(unknown)).toBe('Error');
    const malformed = await verdict('releases/not-an-id/verdict');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ field: 'params.id' });
  });

  it('answers 401 without a token and 403 for a token without releases:read', async () => {
    const release = await newRelease(k, 'auth');
    expect((await verdict(`releases/${release.id}/verdict`, null)).status).toBe(401);
    expect((await verdict(`releases/${release.id}/verdict`, 'rmp_not-a-real-token')).status).toBe(401);
    const refused = await verdict(`releases/${release.id}/verdict`, k.metricsToken);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(k.metricsToken);
  });
});

describe('GET /api/integrations/argo/services/:service/verdict', () => {
  it("answers the service's release in progress, and 404 once none is", async () => {
    const first = await newRelease(k, 'team/payments');
    await act(k, first.id, 'start');
    await act(k, first.id, 'rollback');
    k.t.clock.advance(60);
    const second = await newRelease(k, 'team/payments');
    await act(k, second.id, 'start');

    const answer = await verdict('services/team%2Fpayments/verdict');
    expect(answer.status).toBe(200);
    // Both are in progress (one rolling back): the newest wins.
    expect(answer.body).toMatchObject({ releaseId: second.id, service: 'team/payments', state: 'running' });

    // The second one rolled back to the end (its traffic acknowledged at 0%) is over: the first is the one in progress.
    const owner = await k.t.as('owner');
    expect((await owner.post(`/api/releases/${second.id}/traffic/ack`, { percent: 10 })).statusCode).toBe(200);
    await act(k, second.id, 'rollback');
    const acked = await owner.post(`/api/releases/${second.id}/traffic/ack`, { percent: 0 });
    expect(acked.json()).toMatchObject({ state: 'rolled_back', acknowledgedPercent: 0 });
    const rollingBack = await verdict('services/team%2Fpayments/verdict');
    expect(rollingBack.body).toMatchObject({ releaseId: first.id, state: 'rolling_back', failed: true });

    expect((await verdict('services/nothing-here/verdict')).status).toBe(404);
  });

  it('refuses a service name no release can have: 400 naming the parameter, 414 past the router\'s length', async () => {
    for (const service of ['%00', '%ED%A0%80']) {
      const answer = await verdict(`services/${service}/verdict`);
      expect(answer.status, service).toBe(400);
      expect(answer.body['field'], service).toMatch(/^(params|url)/);
    }
    expect((await verdict(`services/${'a'.repeat(101)}/verdict`)).status).toBe(414);
  });
});
