// Flagger's webhook contract (https://docs.flagger.app/usage/webhooks): the body Flagger POSTs, and the status
// code it reads (200-202 go on; anything else holds, or for `rollback` means "no rollback"). Real HTTP on
// loopback and real API tokens; no Kubernetes runs here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAnswer, TK8sApp } from './support.js';
import { act, call, newRelease, observe, signOff, startK8sApp } from './support.js';

let k: TK8sApp;
const statuses: number[] = [];

beforeAll(async () => {
  k = await startK8sApp();
}, 60_000);
afterAll(async () => {
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  await k.t.close();
});

/** What Flagger's CallWebhook sends: the canary's name and namespace, its phase and checksum, and the webhook's metadata. */
function payload(name: string, metadata: Record<string, string> = {}, phase = 'Progressing') {
  return { name, namespace: 'shop', phase, checksum: '85d557f47b', metadata };
}

async function hook(name: string, body: unknown, options: { header?: string } = {}): Promise<TAnswer> {
  const answer = await call(k, 'POST', `/api/integrations/flagger/${name}`, { body, ...(options.header ? { token: options.header } : {}) });
  statuses.push(answer.status);
  return answer;
}

/** Flagger's own reading of a status code (callWebhook in fluxcd/flagger: an answer above 202 is an error). */
const goesOn = (answer: TAnswer) => answer.status >= 200 && answer.status <= 202;

/** A Canary whose webhooks name the release and carry the token, as the README shows. */
function canaryOf(releaseId: string, token = k.readToken) {
  return payload('checkout', { rampartRelease: releaseId, rampartToken: token });
}

describe('gates along a release', () => {
  it('holds every gate before the release starts, then opens them as Rampart allows', async () => {
    const release = await newRelease(k, 'checkout-gates');
    const canary = canaryOf(release.id);

    // Not started: Flagger waits before scaling up the canary.
    let answer = await hook('confirm-rollout', canary);
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: 'conflict', message: 'checkout-gates 2.4.0 is ready in Rampart' });
    expect(goesOn(await hook('confirm-traffic-increase', canary))).toBe(false);
    expect(goesOn(await hook('confirm-promotion', canary))).toBe(false);
    expect((await hook('rollback', canary)).status).toBe(409);

    // Running, with bake time left and the gate not judged yet.
    await act(k, release.id, 'start');
    answer = await hook('confirm-rollout', canary);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ hook: 'confirm-rollout', releaseId: release.id, state: 'running', message: 'checkout-gates 2.4.0 is running in Rampart' });
    answer = await hook('confirm-traffic-increase', canary);
    expect(answer.status).toBe(409);
    expect(answer.body['message']).toContain('10m of bake time left at Canary');
    expect(answer.body['message']).toContain('Gate inconclusive');
    answer = await hook('confirm-promotion', canary);
    expect(answer.status).toBe(409);
    expect(answer.body['message']).toMatch(/^Rampart holds promotion of checkout-gates 2\.4\.0: .*not at its last stage/);

    // Baked and judged healthy, but the next stage's sign-off is missing.
    k.t.clock.advance(600);
    await observe(k, release.id, 0);
    answer = await hook('confirm-traffic-increase', canary);
    expect(answer.status).toBe(409);
    expect(answer.body['message']).toMatch(/^Rampart holds traffic on checkout-gates 2\.4\.0: .*engineering sign-off/);

    // Signed off: Rampart would ramp now, so Flagger may increase the weight.
    await signOff(k, release.id, 'full');
    answer = await hook('confirm-traffic-increase', canary);
    expect(answer.status).toBe(200);
    expect(answer.body['message']).toBe('Rampart would ramp checkout-gates 2.4.0 now');
    expect((await hook('rollback', canary)).status).toBe(409);

    // At the last stage: traffic grows once the gate has judged it there; promotion also waits for the bake time.
    await act(k, release.id, 'ramp');
    answer = await hook('confirm-traffic-increase', canary);
    expect(answer.status).toBe(409);
    expect(answer.body['message']).toMatch(/^Rampart holds traffic on checkout-gates 2\.4\.0: Gate inconclusive.*Canary error rate under 5%/);
    k.t.clock.advance(300);
    await observe(k, release.id, 0);
    answer = await hook('confirm-traffic-increase', canary);
    expect(answer.status).toBe(200);
    expect(answer.body['message']).toBe('checkout-gates 2.4.0 is at its last stage in Rampart');
    answer = await hook('confirm-promotion', canary);
    expect(answer.status).toBe(409);
    // The domain's own words for the time left (bake time, or the watch after 100%).
    expect(answer.body['message']).toMatch(/^Rampart holds promotion of checkout-gates 2\.4\.0: 5m of .* left at Full/);
    k.t.clock.advance(300);
    await observe(k, release.id, 0);
    answer = await hook('confirm-promotion', canary);
    expect(answer.status).toBe(200);
    expect(answer.body['message']).toBe('Rampart would complete checkout-gates 2.4.0 now');

    // Completed in Rampart: promotion agrees, a new rollout of it does not start.
    await act(k, release.id, 'complete');
    expect((await hook('confirm-promotion', canary)).status).toBe(200);
    expect((await hook('confirm-rollout', canary)).status).toBe(409);
    expect((await hook('rollback', canary)).status).toBe(409);
  });

  it('holds a paused release', async () => {
    const release = await newRelease(k, 'checkout-paused');
    await act(k, release.id, 'start');
    await act(k, release.id, 'pause');
    const answer = await hook('confirm-rollout', canaryOf(release.id));
    expect(answer.status).toBe(409);
    expect(answer.body['message']).toBe('checkout-paused 2.4.0 is paused in Rampart');
  });
});

describe('the rollback hook', () => {
  it('answers 200 (Flagger rolls back) when the rollback gate fails, and every gate holds', async () => {
    const release = await newRelease(k, 'checkout-failing');
    await act(k, release.id, 'start');
    k.t.clock.advance(300);
    await observe(k, release.id, 0.5);
    const canary = canaryOf(release.id);
    const answer = await hook('rollback', canary);
    expect(answer.status).toBe(200);
    expect(answer.body['message']).toBe('Rampart wants checkout-failing 2.4.0 rolled back: rollback gate failing: Canary error rate under 5%');
    expect((await hook('confirm-traffic-increase', canary)).status).toBe(409);
    expect((await hook('confirm-promotion', canary)).status).toBe(409);
  });

  it('answers 200 while Rampart rolls back and once it rolled back', async () => {
    const release = await newRelease(k, 'checkout-back');
    await act(k, release.id, 'start');
    const owner = await k.t.as('owner');
    expect((await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 10 })).statusCode).toBe(200);
    await act(k, release.id, 'rollback');
    const canary = canaryOf(release.id);
    let answer = await hook('rollback', canary);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: 'rolling_back', message: 'Rampart wants checkout-back 2.4.0 rolled back: the release is rolling back' });
    expect((await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 0 })).json()).toMatchObject({ state: 'rolled_back' });
    answer = await hook('rollback', canary);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: 'rolled_back' });
    answer = await hook('confirm-rollout', canary);
    expect(answer.status).toBe(409);
    expect(answer.body['message']).toBe('Rampart wants checkout-back 2.4.0 rolled back: the release was rolled back');
  });
});

describe('which release a canary means', () => {
  it('finds the release by service <name>.<namespace>, else <name>, when the metadata names none', async () => {
    const qualified = await newRelease(k, 'podinfo.shop');
    await act(k, qualified.id, 'start');
    const plain = await newRelease(k, 'cart');
    await act(k, plain.id, 'start');
    let answer = await hook('confirm-rollout', payload('podinfo', { rampartToken: k.readToken }));
    expect(answer).toMatchObject({ status: 200, body: { releaseId: qualified.id } });
    answer = await hook('confirm-rollout', payload('cart', { rampartToken: k.readToken }));
    expect(answer).toMatchObject({ status: 200, body: { releaseId: plain.id } });
    answer = await hook('confirm-rollout', payload('unknown', { rampartToken: k.readToken }));
    expect(answer.status).toBe(404);
    expect(answer.body['message']).toBe('No release of unknown.shop or unknown is in progress; name one with metadata rampartRelease');
  });

  it('answers 404 for a release id that names nothing and 400 for one that is not an id', async () => {
    expect((await hook('confirm-rollout', canaryOf('5d1c9a43-8a52-4f0e-9a51-1d1b8d0e4b11'))).status).toBe(404);
    const answer = await hook('confirm-rollout', canaryOf('release-7'));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ field: 'body.metadata.rampartRelease' });
  });
});

describe('event hooks', () => {
  it('records each Flagger event on the release once, without the token', async () => {
    const release = await newRelease(k, 'checkout-events');
    // Flagger's event payload: its eventMessage, eventType and timestamp, merged with the webhook's own metadata.
    const event = payload('checkout', { rampartRelease: release.id, rampartToken: k.flaggerToken, eventMessage: 'Advance checkout.shop canary weight 10', eventType: 'Normal', timestamp: '1764430000000' });
    let answer = await hook('event', event);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ hook: 'event', releaseId: release.id, recorded: true });
    // Flagger repeats a waiting message on every interval: kept once.
    answer = await hook('event', event);
    expect(answer).toMatchObject({ status: 202, body: { recorded: false } });
    answer = await hook('event', { ...event, metadata: { ...event.metadata, eventMessage: 'Advance checkout.shop canary weight 20' } });
    expect(answer).toMatchObject({ status: 202, body: { recorded: true } });

    const events = (await (await k.t.as('owner')).get(`/api/releases/${release.id}/events`)).json().events as { type: string; data: Record<string, unknown>; reason: string | null }[];
    const recorded = events.filter((e) => e.type === 'integration.event');
    expect(recorded.map((e) => e.data['message'])).toEqual(['Advance checkout.shop canary weight 20', 'Advance checkout.shop canary weight 10']);
    expect(recorded[1]).toMatchObject({
      reason: 'Advance checkout.shop canary weight 10',
      data: { source: 'flagger', canary: 'checkout.shop', phase: 'Progressing', eventType: 'Normal', message: 'Advance checkout.shop canary weight 10', checksum: '85d557f47b' },
    });
    expect(JSON.stringify(events)).not.toContain(k.flaggerToken);
  });

  it('needs traffic:ack: a releases:read token is refused', async () => {
    const release = await newRelease(k, 'checkout-events-scope');
    const answer = await hook('event', payload('checkout', { rampartRelease: release.id, rampartToken: k.readToken, eventMessage: 'x', eventType: 'Normal' }));
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ statusCode: 403, error: 'forbidden', message: 'Your role does not allow traffic:ack' });
  });
});

describe('authentication and input', () => {
  it('answers 401 without a token, whatever the body', async () => {
    const release = await newRelease(k, 'checkout-auth');
    expect((await hook('confirm-rollout', payload('checkout', { rampartRelease: release.id }))).status).toBe(401);
    expect((await hook('confirm-rollout', { namespace: 'shop' })).status).toBe(401);
    expect((await hook('confirm-rollout', payload('checkout', { rampartRelease: release.id, rampartToken: 'rmp_revoked-or-made-up' }))).status).toBe(401);
  });

  it('accepts the token as a bearer header too, and answers 403 for a token without releases:read', async () => {
    const release = await newRelease(k, 'checkout-header');
    await act(k, release.id, 'start');
    const body = payload('checkout', { rampartRelease: release.id });
    expect((await hook('confirm-rollout', body, { header: k.readToken })).status).toBe(200);
    const refused = await hook('confirm-rollout', body, { header: k.metricsToken });
    expect(refused.status).toBe(403);
    expect((await hook('rollback', payload('checkout', { rampartRelease: release.id, rampartToken: k.metricsToken }))).status).toBe(403);
  });

  it('answers 400 naming the field for a body Flagger never sends', async () => {
    let answer = await hook('confirm-rollout', { namespace: 'shop', metadata: { rampartToken: k.readToken } });
    expect(answer).toMatchObject({ status: 400, body: { field: 'body.name' } });
    answer = await hook('confirm-rollout', { name: 'Not_A_Name', namespace: 'shop', metadata: { rampartToken: k.readToken } });
    expect(answer).toMatchObject({ status: 400, body: { field: 'body.name' } });
    answer = await hook('confirm-rollout', { name: 'checkout', namespace: 'shop', metadata: { rampartToken: k.readToken, replicas: 3 } });
    expect(answer).toMatchObject({ status: 400, body: { field: 'body.metadata.replicas' } });
    answer = await hook('pre-rollout', payload('checkout', { rampartToken: k.readToken }));
    expect(answer).toMatchObject({ status: 400, body: { field: 'params.hook' } });
    expect(JSON.stringify(answer.body)).not.toContain(k.readToken);
  });

  it('never answers 5xx to bodies no Flagger sends, with a token or without, and a 400 names its field', async () => {
    const token = k.flaggerToken;
    const hostile: unknown[] = [
      null,
      [],
      'podinfo',
      42,
      {},
      { name: 12, namespace: 'shop' },
      { name: 'checkout', namespace: 'shop', metadata: [] },
      { name: 'checkout', namespace: 'shop', metadata: 'rampartToken' },
      { name: 'checkout', namespace: 'shop', metadata: { rampartToken: { nested: true } } },
      { name: 'checkout', namespace: 'shop', metadata: { rampartToken: token, rampartRelease: 7 } },
      { name: 'checkout', namespace: 'shop', metadata: { rampartToken: token, rampartRelease: '00000000-0000-0000-0000-000000000000\u0000' } },
      { name: 'check\u0000out', namespace: 'shop', metadata: { rampartToken: token } },
      { name: 'x'.repeat(100_000), namespace: 'shop', metadata: { rampartToken: token } },
      { name: 'checkout', namespace: 'shop', phase: ['Progressing'], metadata: { rampartToken: token } },
      { name: 'checkout', namespace: 'shop', metadata: { rampartToken: token, ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'])) } },
      JSON.parse('{"name": "checkout", "namespace": "shop", "__proto__": {"admin": true}, "metadata": {"rampartToken": "' + token + '"}}'),
    ];
    for (const hookName of ['confirm-rollout', 'rollback', 'event']) {
      for (const body of hostile) {
        for (const header of [undefined, token]) {
          const answer = await hook(hookName, body, header ? { header } : {});
          expect(answer.status, `${hookName} ${JSON.stringify(body)?.slice(0, 120)}`).toBeLessThan(500);
          if (answer.status === 400) expect(answer.body['field'], JSON.stringify(answer.body)).toMatch(/^(body|params)/);
          expect(JSON.stringify(answer.body)).not.toContain(token);
        }
      }
    }
  });
});
